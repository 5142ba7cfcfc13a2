/**
 * What a benchmark returns. A figure with a target prints its ratio to the target (>= 1 means met, whichever
 * direction is better). Engines are compared inside one run: ratios measured side by side mean more than
 * absolute times on a shared machine.
 */
export interface Figure {
  label: string;
  value: number;
  unit: string;
  /** The target, in the same unit. */
  target?: number;
  /** true when a larger value is better (throughput); false for times and sizes. */
  higherIsBetter?: boolean;
  note?: string;
}

export interface BenchResult {
  name: string;
  figures: Figure[];
  /** Anything else worth keeping (tables, configuration). */
  details?: Record<string, unknown>;
}

export type Bench = () => Promise<BenchResult>;

/** The ratio of a figure to its target, oriented so that >= 1 means the target is met. */
export function targetRatio(f: Figure): number | undefined {
  if (f.target === undefined) return undefined;
  return f.higherIsBetter === false ? f.target / f.value : f.value / f.target;
}
