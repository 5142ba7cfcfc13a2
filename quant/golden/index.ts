/** quant/golden: the integer golden model (exact int8 inference of an exported QuantModel). */
export { defaultGemmEngine, goldenKernels, gemmInt8, gemmInt8Packed, packB, type GemmEngine, type PackedB } from './gemm/gemm.ts';
export { wasmGemmAvailable } from './gemm/wasm-gemm.ts';
export { nativeGemmAvailable } from './gemm/native-gemm.ts';
export { nativeStatus } from './native/kernels.ts';
export { prepareLayer, runPreparedLayer, runLayer, type PreparedLayer } from './layers.ts';
export { GoldenModel, compileGolden, runGolden, type GoldenOptions, type GoldenResult } from './run.ts';
export { pixelTable, quantizeImage } from './image.ts';
export { argmax, evaluate, type Evaluation, type EvaluateOptions } from './evaluate.ts';
