/**
 * What one cosim run is asked to do: the model (trained for the flags, or an export folder), the array, the RTL,
 * the checks' sizes and where the report goes. The CLI fills it from its flags; tests and other tools call runCosim
 * with it directly.
 */
import type { ProgressEvent } from '../model/train/trainer.ts';
import type { ArithmeticTarget, RoundingMode } from '../quant/spec/index.ts';

import type { CheckMode } from '../harness/transaction/check-mode.ts';

export { CHECK_MODES, type CheckMode } from '../harness/transaction/check-mode.ts';

export interface CosimOptions {
  /** What the RTL is held to (default cycles); transactions: the network and the corner tier in transaction mode. */
  check?: CheckMode;
  /**
   * An exported model folder (int8cosim train --out) or an int8 .tflite file (imported, model/tflite); otherwise the
   * cached (else freshly trained) model of the flags below.
   */
  modelDir?: string;
  /**
   * A model without a dataset (a .tflite): its inputs, a folder of raw int8 .bin tensors or an int8 .npy
   * (cosim/inputs.ts); absent: `images` seeded random inputs (default 100, seed `seed`).
   */
  inputs?: string;
  /** Labels of those inputs (a CSV of file,label): the report then gives accuracies too. */
  labels?: string;
  /** The TFLite arithmetic an imported model runs in (default its own: tflite-runtime). */
  arithmetic?: ArithmeticTarget;
  /** Seed of the random inputs (default 1). */
  seed?: number;
  /** Default mnist (with modelDir: the model's meta.dataset). */
  dataset?: string;
  /** Default cnn; training flags, not allowed with modelDir. */
  network?: string;
  weightBits?: number;
  activationBits?: number;
  /**
   * The rounding the model runs in, in the golden model, hw-sim and the RTL (every program's configuration command
   * carries it; the model's integers do not depend on it). The array is built with every mode its RTL config
   * implements (RoundingModes, default all three); a mode it lacks fails the compile of the first layer.
   */
  rounding: RoundingMode;
  rows: number;
  cols: number;
  /** Test images through the lockstep; default the whole test set. */
  images?: number;
  /** Compare every PE register every cycle (a deep build). */
  deep: boolean;
  /** The RTL config (default rtl/cosim.json). */
  rtlConfigPath?: string;
  /** Cases of the corner tier run on the same build before the network; 0: none (the verdict is then FAIL: not run). */
  cornerCases: number;
  /** Images per reset; dense layers run as one GEMM per batch. */
  batch: number;
  /**
   * Worker threads that run hw-sim's side of the cycle lockstep ahead of the RTL, batch by batch
   * (harness/network/referenceAhead.ts); default: the cores beyond two (on a 2-core machine 1 for a run of 10,000
   * images or more, else 0). Not with deep.
   */
  referenceWorkers?: number;
  /** Half-width of the VCD window around a lockstep mismatch. */
  window: number;
  /** report.json, report.html and mismatch.vcd go here. */
  outDir: string;
  /** Progress lines (stderr in the CLI). */
  log: (line: string) => void;
  /** Lockstep progress after each batch. */
  onImages?: (done: number, total: number) => void;
  /** Training progress (when the model is trained). */
  onTrainProgress?: (e: ProgressEvent) => void;
}
