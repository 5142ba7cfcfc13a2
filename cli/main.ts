/**
 * The `int8cosim` command line. Each sub-command lives in its own file and exports `run(argv)`; this file only
 * dispatches and turns errors into exit codes: a CosimError (user error) prints one line, anything else (a bug)
 * prints its stack.
 */
import { CosimError, UsageError } from '../quant/errors.ts';

type Runner = (argv: string[]) => Promise<void>;

export const COMMANDS: Record<string, { about: string; load: () => Promise<{ run: Runner }> }> = {
  cosim: { about: 'train or reuse the model, then golden -> hw-sim -> RTL (Verilator) in lockstep over the test set; out/cosim/report.json', load: () => import('./cosim.ts') },
  sim: { about: 'run an exported model on the cycle-accurate array model (hw-sim); per-layer cycle table and JSON', load: () => import('./sim.ts') },
  train: { about: 'float training, PTQ baseline, QAT fine-tuning, export of bit-exact int8 parameters', load: () => import('./train.ts') },
  report: { about: 'rebuild the HTML report from an existing report.json (--report-only)', load: () => import('./report.ts') },
  synth: { about: 'synthesize the RTL with Yosys (generic, iCE40, 7-series) at several sizes; resource table', load: () => import('./synth.ts') },
  regress: { about: 'seeded random differential regression: golden vs hw-sim vs RTL in lockstep (--tier, --shard, --replay)', load: () => import('./regress.ts') },
  mutate: { about: 'mutation testing: every RTL mutant of the catalogue against the regression kill-suite; score, survivors', load: () => import('./mutate.ts') },
  coverage: { about: 'Verilator line and toggle coverage of rtl/ from the regression stimulus, per module', load: () => import('./coverage.ts') },
  import: { about: 'import an int8 .tflite model (TFLite, MLPerf Tiny) into an exported model directory; one line per layer', load: () => import('./import.ts') },
  export: { about: 'write an exported model (int8cosim train\'s) as an int8 .tflite file that TFLite and TFLite Micro run with its integers', load: () => import('./export.ts') },
  'runtime-check': { about: 'golden model vs TFLite\'s own runtime on every output byte of .tflite models (default: the MLPerf Tiny models)', load: () => import('./runtime-check.ts') },
  check: { about: 'validate an exported model directory (docs/FORMAT.md) and summarize its layers', load: () => import('./check.ts') },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.about}`);
  return ['usage: int8cosim <command> [options]   (int8cosim <command> --help for its options)', '', 'commands:', ...lines].join('\n');
}

export async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      console.log(usage());
      return;
    }
    const command = COMMANDS[name];
    if (command === undefined) throw new UsageError(`unknown command '${name}'; commands: ${Object.keys(COMMANDS).join(', ')}`);
    const { run } = await command.load();
    await run(rest);
  } catch (err) {
    if (err instanceof CosimError) {
      console.error(`int8cosim ${name ?? ''}: ${err.message}`);
      process.exitCode = process.exitCode || 1;
    } else {
      console.error(err);
      process.exitCode = 70; // EX_SOFTWARE: a bug, not a user error
    }
  }
}
