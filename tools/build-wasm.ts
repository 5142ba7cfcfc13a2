/**
 * Compiles the project's WebAssembly text into the binaries beside it (committed, what the loaders read) with
 * wabt's wat2wasm (the npm package `wabt`, a devDependency: the build runs here, never at load time, so a user of
 * the library needs no toolchain):
 *   quant/golden/wasm/kernels.wat    -> kernels.wasm        the golden model's kernels (quant/golden/wasm/kernels.ts)
 *   model/backend/train-kernels.wat  -> train-kernels.wasm  the trainer's WASM-backend kernels (./train-kernels.ts)
 *   node --import tsx tools/build-wasm.ts           writes both
 *   node --import tsx tools/build-wasm.ts --check   exits 1 when a .wasm is not what its .wat compiles to
 *   node --import tsx tools/build-wasm.ts model/backend/train-kernels.wat   only that one (paths from the root)
 * The output is deterministic: no debug names, canonical LEBs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabt from 'wabt';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = [join(ROOT, 'quant', 'golden', 'wasm', 'kernels.wat'), join(ROOT, 'model', 'backend', 'train-kernels.wat')];

async function compile(wat: string): Promise<Uint8Array> {
  const tools = await wabt();
  const name = wat.slice(wat.lastIndexOf('/') + 1);
  const mod = tools.parseWat(name, readFileSync(wat, 'utf8'), { simd: true, bulk_memory: true });
  try {
    mod.validate();
    return mod.toBinary({ log: false, canonicalize_lebs: true, write_debug_names: false }).buffer;
  } finally {
    mod.destroy();
  }
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const only = process.argv.slice(2).filter((a) => a !== '--check').map((a) => join(ROOT, a));
  const unknown = only.filter((a) => !SOURCES.includes(a));
  if (unknown.length > 0) {
    console.error(`not a WebAssembly source of tools/build-wasm.ts: ${unknown.map((a) => relative(ROOT, a)).join(', ')}; sources: ${SOURCES.map((a) => relative(ROOT, a)).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  for (const wat of only.length > 0 ? only : SOURCES) {
    const wasm = wat.replace(/\.wat$/, '.wasm');
    const shown = relative(ROOT, wasm);
    const bytes = await compile(wat);
    if (check) {
      const committed = readFileSync(wasm);
      if (!Buffer.from(bytes).equals(committed)) {
        console.error(`${shown} (${committed.length} bytes) is not what ${relative(ROOT, wat)} compiles to (${bytes.length} bytes): run node --import tsx tools/build-wasm.ts`);
        process.exitCode = 1;
        continue;
      }
      console.log(`${shown} is up to date (${bytes.length} bytes)`);
      continue;
    }
    writeFileSync(wasm, bytes);
    console.log(`wrote ${shown} (${bytes.length} bytes)`);
  }
}

await main();
