import { FormatError } from '../../quant/errors.ts';

/**
 * A model the .tflite exporter cannot write exactly: a layer type or wiring it does not map, or a channel whose
 * multiplier no float32 scale makes TFLite derive. The message names the layer (and the channel).
 */
export class TfliteExportError extends FormatError {}
