/**
 * The transaction check's figures summed over a run (many programs, many resets): the RTL's measured latency
 * (min, max, mean over every row) and throughput (rows per cycle, each program from its first cycle to its last
 * row), beside hw-sim's for the same programs (latency R + C + 1, outputRows / nCycles). Counted program by
 * program from the scoreboard's stats; summarised only when asked.
 */
import type { TransactionStats } from './scoreboard.ts';

export interface TransactionSummary {
  programs: number;
  /** Rows the programs produce, and rows the RTL delivered (right or wrong). */
  rows: number;
  seen: number;
  /** RTL: latency over every row seen (null before the first); cycles from each program's start to its last row. */
  latency: { min: number; max: number; mean: number } | null;
  cycles: number;
  rowsPerCycle: number | null;
  /** hw-sim: latency R + C + 1 (every row), the programs' cycles and their rows per cycle. */
  reference: { latency: number | null; cycles: number; rowsPerCycle: number | null };
}

export class TransactionTotals {
  private programs = 0;
  private rows = 0;
  private seen = 0;
  private latMin = Infinity;
  private latMax = -Infinity;
  private latSum = 0;
  private cycles = 0;
  private refLatency: number | null = null;
  private refCycles = 0;

  add(s: TransactionStats): void {
    this.programs++;
    this.rows += s.rows;
    this.seen += s.seen;
    if (s.latency !== undefined) {
      this.latMin = Math.min(this.latMin, s.latency.min);
      this.latMax = Math.max(this.latMax, s.latency.max);
      this.latSum += s.latency.mean * s.seen;
    }
    this.cycles += s.cycles ?? 0;
    this.refLatency = s.reference.latency;
    this.refCycles += s.reference.cycles;
  }

  summary(): TransactionSummary {
    return {
      programs: this.programs,
      rows: this.rows,
      seen: this.seen,
      latency: this.seen === 0 ? null : { min: this.latMin, max: this.latMax, mean: this.latSum / this.seen },
      cycles: this.cycles,
      rowsPerCycle: this.cycles === 0 ? null : this.seen / this.cycles,
      reference: { latency: this.refLatency, cycles: this.refCycles, rowsPerCycle: this.refCycles === 0 ? null : this.rows / this.refCycles },
    };
  }
}

/** "latency 17..19 (mean 17.4) cycles, 0.812 rows/cycle; hw-sim 17, 0.853 rows/cycle" */
export function formatTransactionSummary(s: TransactionSummary): string {
  const lat = s.latency === null ? 'no rows' : s.latency.min === s.latency.max ? `latency ${s.latency.min}` : `latency ${s.latency.min}..${s.latency.max} (mean ${s.latency.mean.toFixed(2)})`;
  const rpc = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(3));
  return `RTL ${lat} cycles, ${rpc(s.rowsPerCycle)} rows/cycle; hw-sim latency ${s.reference.latency ?? 'n/a'}, ${rpc(s.reference.rowsPerCycle)} rows/cycle (${s.rows} rows of ${s.programs} programs)`;
}
