/**
 * The input of the HTML report: everything the page shows, in one object. The loader (input/load.ts) builds it
 * from out/cosim/report.json (report/schema/cosim-report.ts), the training summary in the model folder it names
 * (model/summary.ts) and out/synth/report.json (synth/report-schema.ts), each checked by its writer's schema. An
 * optional section that is absent is shown as "not run": nothing here is ever made up.
 *
 * Accuracies are fractions in [0, 1]; utilizations are fractions of busy PE-cycles in [0, 1].
 */
import type { z } from 'zod';
import type { checkSchema, confusionSchema, peUtilizationSchema } from './schema/sections.ts';
import type { ReportJson as CosimReportJson } from './schema/cosim-report.ts';

/** One epoch of a training phase (float or QAT). Validation fields are optional. */
export interface EpochRow {
  epoch: number;
  /** NaN for an epoch whose loss diverged (null in JSON). */
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  seconds?: number;
  imagesPerSecond?: number;
}

export interface TrainingCurves {
  float: EpochRow[];
  qat: EpochRow[];
}

/** Test-set accuracy of every stage of the flow; a stage that did not run is absent. */
export interface AccuracySet {
  float?: number;
  ptq?: number;
  qat?: number;
  integer?: number;
  hwsim?: number;
  rtl?: number;
}

export const ACCURACY_STAGES = ['float', 'ptq', 'qat', 'integer', 'hwsim', 'rtl'] as const;
export type AccuracyStage = (typeof ACCURACY_STAGES)[number];

export interface BitWidths {
  weights: number;
  activations: number;
}

/** One check of a cosim run (cosim/checks.ts): what it compared, how much, and whether it held. */
export type CheckRow = z.output<typeof checkSchema>;

/** Per-layer performance of the array (hw-sim stats). Cycle counts are whole cycles of the layer's GEMMs. */
export interface LayerRow {
  name: string;
  type: string;
  cycles: number;
  macs?: number;
  /** Fraction of PE-cycles doing a useful MAC during this layer. */
  utilization?: number;
  fillCycles?: number;
  drainCycles?: number;
  stallCycles?: number;
  /** false for a layer the host runs (maxpool2d, flatten): no array cycles. */
  onArray?: boolean;
}

/** Fraction of cycles each PE was busy over the whole run, row-major: values[r * cols + c]. */
export type PeUtilization = z.output<typeof peUtilizationSchema>;

/** The RTL's predictions against the truth: matrix[truth][predicted] counts images. */
export type Confusion = z.output<typeof confusionSchema>;

/** The first mismatch between the RTL and hw-sim, and where its VCD window is. */
export interface MismatchInfo {
  layer: string;
  tile: string;
  /** The cycle of the mismatch (docs/ARCHITECTURE.md section 4 numbering). */
  cycle: number;
  /** What differed, e.g. "o_data_o[3]" or "pe(1,2).psum_q". */
  where: string;
  /** The PE (or for an output port, the column) where it differed, when known. */
  row?: number;
  col?: number;
  expected: number;
  actual: number;
  /** The VCD window around the mismatch (relative to the working directory or to report.json). */
  vcdPath?: string;
  /** Signals to draw (VCD names, dotted scope paths or leaf names); default: the array's ports and the PE. */
  signals?: string[];
  /** Cycle number of the first rising clock edge in the VCD; default: floor(time of that edge / clock period). */
  vcdFirstCycle?: number;
}

/** One synthesis result (an entry of out/synth/report.json, synth/report-schema.ts). */
export interface SynthRow {
  target: string;
  rows?: number;
  cols?: number;
  /** The RoundingModes mask synthesized (7: every rounding mode; 1: single alone). */
  roundingModes?: number;
  /** 'ok', or why there are no figures ('timeout', 'error'), with the tool's message. */
  status?: string;
  message?: string;
  seconds?: number;
  luts?: number;
  ffs?: number;
  dsps?: number;
  brams?: number;
  /** Other figures of the synthesis report (LUT RAMs, carries), shown as extra columns. */
  extra?: Record<string, number>;
}

export const SECTION_IDS = ['training', 'accuracy', 'performance', 'confusion', 'mismatch', 'synthesis'] as const;
export type SectionId = (typeof SECTION_IDS)[number];

export interface ReportData {
  dataset: string;
  network: string;
  bits: BitWidths;
  array: { rows: number; cols: number };
  roundingMode?: string;
  images?: number;
  /** The size of the test set behind float, PTQ, QAT and integer. */
  testImages?: number;
  accuracy: AccuracySet;
  /**
   * Present when hw-sim and the RTL ran on fewer images than the test set: how many, and the integer (golden)
   * model's accuracy on those same images, which is what they are compared with.
   */
  lockstepSample?: { images: number; integer: number };
  cycles?: { total: number };
  /** Whole-run utilization of the array. */
  utilization?: number;
  /** The lockstep stops at the end of the chunk that holds the first mismatch: the differing words of that chunk. */
  mismatches?: { differingWordsInChunk: number; chunkCycles?: number };
  /** Every check the run made, and the verdict over them: PASS only when every one passed. */
  checks?: CheckRow[];
  verilator?: string;
  wallSeconds?: number;

  training?: TrainingCurves;
  perLayer?: LayerRow[];
  peUtilization?: PeUtilization;
  confusion?: Confusion;
  mismatch?: MismatchInfo;
  /** What the RTL was held to (cosim --check; absent: cycles, as before the option). */
  check?: 'cycles' | 'transactions';
  /** Transaction mode: the RTL's latency and throughput beside hw-sim's, and the first breach of section 13. */
  timing?: NonNullable<CosimReportJson['timing']>;
  transactionFailure?: NonNullable<CosimReportJson['transactionFailure']>;
  synthesis?: SynthRow[];

  /** Where each part came from (shown in the footer), and why a section is empty when a file was missing. */
  sources?: { report?: string; summary?: string; synth?: string; vcd?: string };
  notes?: Partial<Record<SectionId, string>>;
}
