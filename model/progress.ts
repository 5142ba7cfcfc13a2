/**
 * A progress bar per epoch for the terminal (stderr): loss, accuracy and images/s, redrawn in place on a TTY and
 * printed once per finished epoch otherwise.
 */
import type { ProgressEvent } from './train/trainer.ts';

export function progressBar(stream: NodeJS.WriteStream = process.stderr): (e: ProgressEvent) => void {
  const tty = stream.isTTY === true;
  let last = 0;
  return (e) => {
    const done = e.record !== undefined;
    const now = performance.now();
    if (!done && (!tty || now - last < 100)) return;
    last = now;
    const width = 24;
    const filled = Math.round((e.step / e.steps) * width);
    const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
    const phase = e.phase === 'float' ? 'float' : 'QAT  ';
    let line = `${phase} epoch ${e.epoch}/${e.epochs} [${bar}] ${String(e.step).padStart(5)}/${e.steps}  loss ${e.loss.toFixed(4)}  acc ${(e.accuracy * 100).toFixed(2)}%  ${Math.round(e.imagesPerSecond)} img/s`;
    if (done && e.record) {
      line += `  ${e.record.seconds.toFixed(1)} s`;
      if (e.record.valAccuracy !== undefined) line += `  test acc ${(e.record.valAccuracy * 100).toFixed(2)}%`;
    }
    stream.write(tty ? `\r\x1b[K${line}${done ? '\n' : ''}` : `${line}\n`);
  };
}
