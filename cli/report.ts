/**
 * `int8cosim report --report-only`: rebuilds out/cosim/report.html from an existing report.json (and the
 * training summary, synthesis report and VCD window it points to) without re-running anything.
 */
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeHtmlReport } from '../report/html-report.ts';
import { parseCommandArgs } from './args.ts';

const HELP = `usage: int8cosim report --report-only [--in <report.json>] [--out <report.html>]

  --report-only     rebuild the HTML page from report.json; nothing is re-run (this command's only mode, so optional)
  --in <file>       the co-simulation report (default out/cosim/report.json)
  --out <file>      the page to write (default report.html beside --in)
`;

export async function run(argv: string[]): Promise<void> {
  const parsed = parseCommandArgs('report', HELP, {
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      'report-only': { type: 'boolean', default: false },
      in: { type: 'string', default: join('out', 'cosim', 'report.json') },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (parsed === undefined) return;
  const { values } = parsed;
  const out = values.out ?? join(dirname(values.in), 'report.html');
  await writeHtmlReport(values.in, out);
  console.log(`wrote ${out} (${Math.round(statSync(out).size / 1024)} KiB)`);
}
