/**
 * The stack a call into a Verilated model needs, from the frame sizes g++ writes with -fstack-usage (one .su file
 * beside each object: `file:line:col:function<TAB>bytes<TAB>static|dynamic|dynamic,bounded`). The C ABI runs the
 * model on the caller's stack only when this bound fits in it (harness/sim/verilatedSim.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The flag that makes g++ write the .su files. */
export const STACK_USAGE_FLAG = '-fstack-usage';

/**
 * How many of the largest frames the bound adds up: more than the deepest call chain of a model call (ic_run ->
 * step -> eval_step -> _eval -> _eval_nba -> nba_sequent ... is under ten frames deep), so the sum bounds it.
 */
export const FRAMES_SUMMED = 16;

/** A bound of one call's stack from the text of .su files: the FRAMES_SUMMED largest frames added; null when a frame is unbounded (alloca, a variable-length array). */
export function stackBound(suTexts: readonly string[]): number | null {
  const frames: number[] = [];
  for (const text of suTexts) {
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const fields = line.split('\t');
      const bytes = Number(fields[fields.length - 2]);
      const kind = fields[fields.length - 1]?.trim() ?? '';
      if (fields.length < 3 || !Number.isInteger(bytes) || bytes < 0) return null; // a line this parser does not know: no bound
      if (kind === 'dynamic') return null;
      frames.push(bytes);
    }
  }
  frames.sort((a, b) => b - a);
  return frames.slice(0, FRAMES_SUMMED).reduce((s, b) => s + b, 0);
}

/** stackBound of every .su file in dir (null when there is none). */
export function stackBoundOfDir(dir: string): number | null {
  const names = readdirSync(dir).filter((n) => n.endsWith('.su'));
  if (names.length === 0) return null;
  return stackBound(names.map((n) => readFileSync(join(dir, n), 'utf8')));
}
