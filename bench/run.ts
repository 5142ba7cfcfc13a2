/**
 * `make bench` runs every bench/*.bench.ts; `make bench B=name` runs bench/name.bench.ts alone. Each prints its
 * figures with the ratio to their targets and writes out/bench/<name>.json.
 */
import { mkdirSync, readdirSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { targetRatio, type Bench, type BenchResult } from './result.ts';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', 'out', 'bench');

function format(r: BenchResult): string {
  const rows = r.figures.map((f) => {
    const ratio = targetRatio(f);
    const target = f.target === undefined ? '' : `  target ${f.target} ${f.unit}  ratio ${ratio!.toFixed(2)}${ratio! >= 1 ? ' (met)' : ' (NOT met)'}`;
    const v = Math.abs(f.value) >= 1000 ? f.value.toExponential(3) : String(+f.value.toPrecision(4));
    return `  ${f.label.padEnd(48)} ${v.padStart(10)} ${f.unit}${target}${f.note ? `  [${f.note}]` : ''}`;
  });
  return [`bench ${r.name}`, ...rows].join('\n');
}

async function main(only: string | undefined): Promise<void> {
  const names = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.slice(0, -'.bench.ts'.length))
    .filter((n) => only === undefined || n === only)
    .sort();
  if (names.length === 0) {
    console.error(`no benchmark named '${only}'; have: ${readdirSync(here).filter((f) => f.endsWith('.bench.ts')).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  mkdirSync(outDir, { recursive: true });
  for (const name of names) {
    const mod = (await import(pathToFileURL(join(here, `${name}.bench.ts`)).href)) as { default: Bench };
    const result = await mod.default();
    console.log(format(result));
    const file = join(outDir, `${name}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify({ ...result, date: new Date().toISOString() }, null, 2));
    renameSync(`${file}.tmp`, file);
  }
}

await main(process.argv[2]);
