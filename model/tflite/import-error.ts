import { FormatError } from '../../quant/errors.ts';

/**
 * A .tflite model that reads fine but that the importer cannot take: a float model, an unsupported operator,
 * operator version or option. The message names the file, the operator (index and opcode) and what is supported.
 */
export class TfliteImportError extends FormatError {}
