import { FormatError } from '../../quant/errors.ts';

/** A .tflite file that is not one, is truncated or corrupt, or uses a part of the schema the reader does not take. */
export class TfliteFormatError extends FormatError {}
