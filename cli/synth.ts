/**
 * `int8cosim synth`: synthesizes the RTL with Yosys from npm for a generic target, iCE40 and Xilinx 7-series at
 * several array sizes and writes out/synth/report.json and report.md (LUTs, flip-flops, DSPs, block RAMs).
 */
import { resolve } from 'node:path';
import { UsageError } from '../quant/errors.ts';
import { SYNTH_TARGETS, type SynthTarget } from '../synth/yosys.ts';
import { runSynthSuite, type ArraySize } from '../synth/suite.ts';
import { HELP_OPTION, parseCommandArgs, stringOptions } from './args.ts';
import { intOption } from './options.ts';

const HELP = `usage: int8cosim synth [options]

  --sizes <RxC,...>          array sizes (default 4x4,8x8,16x16)
  --targets <t,...>          generic, ice40, xilinx (default all three)
  --acc-depth <n>            accumulator entries per column (default 16: small, so that the report is about the array)
  --rounding-modes <m,...>   RoundingModes masks, one job each (bit 0 single, 1 double, 2 ruy; default 7:
                             every mode; 7,1 compares all three with single alone)
  --timeout <seconds>        limit of one Yosys run (default 660: 16x16 on the generic target needs more)
  --rtl-config <file.json>   RTL to synthesize (default rtl/cosim.json)
  --top <module>             a sub-module alone, for a breakdown: systolic_array, systolic_acc, systolic_out,
                             systolic_requant (or its halves systolic_requant_mul, systolic_requant_round)
  --out <dir>                output folder (default out/synth)
`;

function parseSizes(s: string): ArraySize[] {
  return s.split(',').map((part) => {
    const m = /^(\d+)x(\d+)$/.exec(part.trim());
    if (!m) throw new UsageError(`--sizes expects RxC[,RxC...], got '${part}'`);
    return { rows: Number(m[1]), cols: Number(m[2]) };
  });
}

export async function run(argv: string[]): Promise<void> {
  const parsed = parseCommandArgs('synth', HELP, {
    args: argv,
    options: {
      ...stringOptions('sizes', 'targets', 'acc-depth', 'rounding-modes', 'timeout', 'rtl-config', 'top', 'out'),
      ...HELP_OPTION,
    },
    strict: true,
  });
  if (parsed === undefined) return;
  const { values } = parsed;
  const targets = (values.targets ?? SYNTH_TARGETS.join(',')).split(',').map((t) => t.trim());
  for (const t of targets) {
    if (!(SYNTH_TARGETS as readonly string[]).includes(t)) throw new UsageError(`--targets: unknown target '${t}'; expected ${SYNTH_TARGETS.join(', ')}`);
  }
  const roundingModes = (values['rounding-modes'] ?? '7').split(',').map((m) => intOption('rounding-modes', m.trim(), { min: 1, max: 7 }) as number);
  const outDir = resolve(values.out ?? 'out/synth');
  await runSynthSuite({
    targets: targets as SynthTarget[],
    sizes: parseSizes(values.sizes ?? '4x4,8x8,16x16'),
    accDepth: intOption('acc-depth', values['acc-depth'], { min: 1 }) ?? 16,
    roundingModes,
    timeoutSeconds: intOption('timeout', values.timeout, { min: 1 }) ?? 660,
    ...(values['rtl-config'] === undefined ? {} : { rtlConfig: resolve(values['rtl-config']) }),
    ...(values.top === undefined ? {} : { top: values.top }),
    outDir,
  });
  console.log(`wrote ${outDir}/report.json and ${outDir}/report.md`);
}
