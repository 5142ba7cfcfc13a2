/**
 * Number formats of the report.
 */
export function pct(x: number | undefined, digits = 2): string {
  return x === undefined ? 'not run' : `${(x * 100).toFixed(digits)}%`;
}

/** A difference of two fractions in percentage points, signed. */
export function pp(x: number | undefined, ref: number | undefined): string {
  if (x === undefined || ref === undefined) return '';
  const d = (x - ref) * 100;
  return `${d >= 0 ? '+' : '\u2212'}${Math.abs(d).toFixed(2)} pp`;
}

/** An integer with thin-space thousands separators. */
export function int(x: number | undefined): string {
  return x === undefined ? '\u2014' : Math.round(x).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');
}

export function num(x: number | undefined, digits = 3): string {
  return x === undefined ? '\u2014' : String(+x.toPrecision(digits));
}

export function seconds(x: number | undefined): string {
  if (x === undefined) return '\u2014';
  if (x < 120) return `${x.toFixed(1)} s`;
  const m = Math.floor(x / 60);
  return `${m} min ${Math.round(x - 60 * m)} s`;
}
