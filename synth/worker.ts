/**
 * Child-process entry of one synthesis job: `node --import tsx synth/worker.ts '<SynthJob JSON>'`. Prints
 * one line `RESULT <YosysRun JSON>` on success; on failure prints the error and exits 1.
 */
import { runYosysJob, type SynthJob } from './yosys.ts';

const arg = process.argv[2];
if (arg === undefined) {
  console.error('usage: worker.ts <SynthJob JSON>');
  process.exitCode = 2;
} else {
  try {
    const r = await runYosysJob(JSON.parse(arg) as SynthJob);
    console.log(`RESULT ${JSON.stringify(r)}`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  }
}
