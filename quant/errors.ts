/**
 * The error classes of the project. A CLI prints a CosimError as one line and exits non-zero; any other error is
 * a bug and prints its stack.
 */
export class CosimError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A model file, manifest or config that is malformed or inconsistent. */
export class FormatError extends CosimError {}

/** Tensor or array shapes that do not fit together. */
export class ShapeError extends CosimError {}

/** A value outside the range the hardware or the format allows. */
export class RangeCheckError extends CosimError {}

/** A command stream that breaks the timing rules of docs/ARCHITECTURE.md (a hazard). */
export class HazardError extends CosimError {}

/** A tool the project needs is missing; the message says how to install it. */
export class ToolMissingError extends CosimError {}

/** A build (Verilator, C++ compiler) failed; the message carries the tool's own output. */
export class BuildError extends CosimError {}

/** Misuse of an object's lifecycle: step before reset, use after close. */
export class LifecycleError extends CosimError {}

/** Bad user input: unknown dataset or network, bad flags, an unwritable folder. */
export class UsageError extends CosimError {}

export interface MismatchDetails {
  layer: string;
  tile: string;
  cycle: number;
  where: string;
  expected: number;
  actual: number;
}

/** Two backends that must agree bit for bit do not. */
export class MismatchError extends CosimError {
  readonly layer: string;
  readonly tile: string;
  readonly cycle: number;
  readonly where: string;
  readonly expected: number;
  readonly actual: number;
  constructor(d: MismatchDetails, message?: string, options?: { cause?: unknown }) {
    super(message ?? `mismatch in layer ${d.layer}, tile ${d.tile}, cycle ${d.cycle}, at ${d.where}: expected ${d.expected}, got ${d.actual}`, options);
    this.layer = d.layer;
    this.tile = d.tile;
    this.cycle = d.cycle;
    this.where = d.where;
    this.expected = d.expected;
    this.actual = d.actual;
  }
}
