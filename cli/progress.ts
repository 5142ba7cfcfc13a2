/**
 * The one progress bar of the command line (stderr): `label [####....] text`, redrawn in place on a TTY (at most
 * every `intervalMs`, always for the final line) and, on a stream that is not a TTY, printed only at milestones
 * and at the end. Two uses: training epochs (trainingProgress) and lockstep images (lockstepProgress).
 */
import type { ProgressEvent } from '../model/train/trainer.ts';

export interface ProgressUpdate {
  label: string;
  done: number;
  total: number;
  /** What follows the bar. */
  text: string;
  /** The last update of this bar (a newline follows it). */
  final: boolean;
  /** Worth a line on a stream that is not a TTY (a final update always is). */
  milestone?: boolean;
}

export interface ProgressBarOptions {
  stream?: NodeJS.WriteStream;
  width?: number;
  intervalMs?: number;
}

export function progressBar(opts: ProgressBarOptions = {}): (u: ProgressUpdate) => void {
  const stream = opts.stream ?? process.stderr;
  const width = opts.width ?? 24;
  const interval = opts.intervalMs ?? 100;
  const tty = stream.isTTY === true;
  let last = -Infinity;
  return (u) => {
    const now = performance.now();
    if (tty ? !u.final && now - last < interval : !u.final && u.milestone !== true) return;
    last = now;
    const filled = Math.max(0, Math.min(width, Math.round((u.done / Math.max(1, u.total)) * width)));
    const line = `${u.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${u.text}`;
    stream.write(tty ? `\r\x1b[K${line}${u.final ? '\n' : ''}` : `${line}\n`);
  };
}

/** A bar per training epoch: loss, accuracy and images/s; on a non-TTY stream one line per finished epoch. */
export function trainingProgress(stream?: NodeJS.WriteStream): (e: ProgressEvent) => void {
  const draw = progressBar({ ...(stream !== undefined ? { stream } : {}), width: 24 });
  return (e) => {
    const phase = e.phase === 'float' ? 'float' : 'QAT  ';
    let text = `${String(e.step).padStart(5)}/${e.steps}  loss ${e.loss.toFixed(4)}  acc ${(e.accuracy * 100).toFixed(2)}%  ${Math.round(e.imagesPerSecond)} img/s`;
    if (e.record !== undefined) {
      text += `  ${e.record.seconds.toFixed(1)} s`;
      if (e.record.valAccuracy !== undefined) text += `  test acc ${(e.record.valAccuracy * 100).toFixed(2)}%`;
    }
    draw({ label: `${phase} epoch ${e.epoch}/${e.epochs}`, done: e.step, total: e.steps, text, final: e.record !== undefined });
  };
}

/** The lockstep's (or the transaction check's: label) images, after each batch of `batch`; on a non-TTY stream a line about every 1024 images. */
export function lockstepProgress(batch: number, stream?: NodeJS.WriteStream, label = 'lockstep'): (done: number, total: number) => void {
  const draw = progressBar({ ...(stream !== undefined ? { stream } : {}), width: 30, intervalMs: 0 });
  const start = performance.now();
  return (done, total) => {
    const s = (performance.now() - start) / 1000;
    const text = `${done}/${total} images, ${(s > 0 ? done / s : 0).toFixed(0)} img/s, ${s.toFixed(0)} s`;
    draw({ label, done, total, text, final: done === total, milestone: done % 1024 < batch });
  };
}
