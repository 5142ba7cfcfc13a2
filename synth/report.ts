/** A synthesis report (out/synth/report.json: one entry per array size, target and RoundingModes) and its markdown table. */
import { roundingModesLabel, type SynthReport } from './report-schema.ts';

export type { SynthEntry, SynthReport } from './report-schema.ts';

const TARGET_NAMES = { generic: 'generic (`synth -lut 4`)', ice40: 'iCE40 (`synth_ice40 -dsp`)', xilinx: '7-series (`synth_xilinx`)' } as const;

/** The markdown table of a synthesis report (one row per array size, target and RoundingModes). */
export function synthTable(r: SynthReport): string {
  const lines = [
    `| array | target | RoundingModes | LUTs | flip-flops | DSPs | block RAMs | LUT RAM/SRL | carries | Yosys time |`,
    `|---|---|---|---:|---:|---:|---:|---:|---:|---:|`,
  ];
  for (const e of r.entries) {
    const size = `${e.rows}x${e.cols}`;
    const res = e.resources;
    const head = `| ${size} | ${TARGET_NAMES[e.target]} | ${roundingModesLabel(e.roundingModes)} |`;
    if (res === undefined) {
      lines.push(`${head} ${e.status}: ${(e.message ?? '').split('\n')[0]} | | | | | | ${e.seconds} s |`);
      continue;
    }
    const dsp = e.target === 'generic' ? '– (in LUTs)' : String(res.dsps);
    lines.push(`${head} ${res.luts} | ${res.flipFlops} | ${dsp} | ${res.brams} | ${res.lutRams} | ${res.carries} | ${e.seconds} s |`);
  }
  const modes = [...new Set(r.entries.map((e) => `AccDepth ${e.accDepth}`))].join('; ');
  lines.push('', `${r.tool}, top \`${r.top}\` (${modes}), ${r.generatedAt.slice(0, 10)}; per-job limit ${r.timeoutSeconds} s.`);
  return lines.join('\n');
}
