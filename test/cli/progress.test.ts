import assert from 'node:assert/strict';
import { lockstepProgress, progressBar, trainingProgress } from '../../cli/progress.ts';

/** A stream that records what is written to it. */
function sink(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const parts: string[] = [];
  const stream = { isTTY, write: (s: string) => parts.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, text: () => parts.join('') };
}

describe('cli/progress: the one progress bar', () => {
  it('prints milestones and the final line on a non-TTY stream, one a line', () => {
    const s = sink(false);
    const draw = progressBar({ stream: s.stream, width: 10 });
    draw({ label: 'x', done: 1, total: 4, text: 'a', final: false });
    draw({ label: 'x', done: 2, total: 4, text: 'b', final: false, milestone: true });
    draw({ label: 'x', done: 4, total: 4, text: 'c', final: true });
    assert.equal(s.text(), 'x [#####.....] b\nx [##########] c\n');
  });

  it('redraws in place on a TTY, at most every intervalMs but always the final line', () => {
    const s = sink(true);
    const draw = progressBar({ stream: s.stream, width: 4, intervalMs: 60_000 });
    draw({ label: 'y', done: 1, total: 4, text: '1', final: false });
    draw({ label: 'y', done: 2, total: 4, text: '2', final: false }); // within the interval: not drawn
    draw({ label: 'y', done: 4, total: 4, text: '4', final: true });
    assert.equal(s.text(), '\r\x1b[Ky [#...] 1\r\x1b[Ky [####] 4\n');
  });

  it('lockstep: the images of each batch; off a TTY a line about every 1024 images and at the end', () => {
    const s = sink(false);
    const p = lockstepProgress(32, s.stream);
    for (let done = 32; done <= 2048; done += 32) p(done, 2100);
    p(2100, 2100);
    const lines = s.text().trim().split('\n');
    assert.deepEqual(lines.map((l) => /(\d+)\/2100 images/.exec(l)?.[1]), ['1024', '2048', '2100']);
    assert.match(lines[2] as string, /^lockstep \[#{30}\] 2100\/2100 images, \d+ img\/s, \d+ s$/);
  });

  it('training: one line per finished epoch off a TTY, with its seconds and test accuracy', () => {
    const s = sink(false);
    const p = trainingProgress(s.stream);
    const e = { phase: 'qat' as const, epoch: 2, epochs: 3, steps: 10, loss: 0.25, accuracy: 0.9, imagesPerSecond: 1234.4 };
    p({ ...e, step: 5 });
    p({ ...e, step: 10, record: { seconds: 3.21, valAccuracy: 0.95 } as never });
    assert.equal(s.text(), `QAT   epoch 2/3 [${'#'.repeat(24)}]    10/10  loss 0.2500  acc 90.00%  1234 img/s  3.2 s  test acc 95.00%\n`);
  });
});
