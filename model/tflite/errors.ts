import { CosimError, FormatError } from '../../quant/errors.ts';

/** A .tflite file that is not one, is truncated or corrupt, or uses a part of the schema the reader does not take. */
export class TfliteFormatError extends FormatError {}

/** A reference model that cannot be had: not found, a download that failed, or a file whose sha256 is not the pinned one. */
export class ModelFetchError extends CosimError {}
