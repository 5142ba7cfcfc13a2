/**
 * Verilator's warnings of a build, summarised: how many of each kind (WIDTHTRUNC, WIDTHEXPAND, UNUSEDSIGNAL, ...)
 * and the first lines. Width truncations and index widths point at bugs before any simulation runs, so cosim
 * prints this summary and writes it to its report.
 */
export interface WarningSummary {
  count: number;
  /** Warnings per Verilator code, most frequent first. */
  byCode: Record<string, number>;
  /** The first warning lines, as Verilator printed them (file:line:col: message). */
  first: string[];
}

const WARNING = /^%Warning-([A-Z0-9_]+):\s*(.*)$/;

export function summarizeWarnings(log: string, keep = 10): WarningSummary {
  const counts = new Map<string, number>();
  const first: string[] = [];
  for (const line of log.split('\n')) {
    const m = WARNING.exec(line.trim());
    if (m === null) continue;
    const code = m[1] as string;
    counts.set(code, (counts.get(code) ?? 0) + 1);
    if (first.length < keep) first.push(`${code}: ${m[2]}`);
  }
  const byCode = Object.fromEntries([...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
  return { count: first.length === 0 ? 0 : [...counts.values()].reduce((a, b) => a + b, 0), byCode, first };
}

/** "3 Verilator warnings: WIDTHTRUNC 2, UNUSEDSIGNAL 1" or "no Verilator warnings". */
export function formatWarningSummary(s: WarningSummary): string {
  if (s.count === 0) return 'no Verilator warnings';
  const kinds = Object.entries(s.byCode).map(([k, n]) => `${k} ${n}`).join(', ');
  return `${s.count} Verilator warning${s.count === 1 ? '' : 's'}: ${kinds}`;
}
