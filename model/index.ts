/**
 * model: datasets, networks, float + QAT training on tfjs, the PTQ baseline and the export to quant/format.
 */
export { loadDataset, checkDatasetName, datasetSourceFiles, DATASETS, type Dataset, type DatasetName, type Split } from './data/dataset.ts';
export { readIdx, type IdxArray } from './data/idx.ts';
export { initBackend, registerWasmKernels } from './backend/backend.ts';
export { networkSpec, checkNetworkName, NETWORKS, type NetworkName, type NetworkSpec, type LayerSpec } from './net/spec.ts';
export { Network, type MacLayer } from './net/network.ts';
export { forward, foldedWeights, type Mode, type QatState } from './net/forward.ts';
export { INPUT_SCALE, INPUT_ZERO_POINT, inputTensorQuant } from './net/input.ts';
export { trainPhase, type EpochRecord, type ProgressEvent, type PhaseOptions } from './train/trainer.ts';
export { calibrate, newQatState, freezeCopy, LOGIT_BITS } from './train/calibrate.ts';
export { evaluateSplit, type EvalResult } from './train/evaluate.ts';
export { buildQuantModel } from './export/build.ts';
export { writeExport, checkExportDir, readSummary, SUMMARY_FILE } from './export/write-export.ts';
export { trainModel, TRAIN_DEFAULTS, AGREEMENT_TARGET, defaultQatLearningRate, type TrainOptions, type TrainResult } from './pipeline.ts';
export { ensureTrainedModel, checkTrainFlags, trainingHash, type EnsureOptions, type EnsureResult } from './ensure.ts';
export type { TrainSummary } from './summary.ts';
