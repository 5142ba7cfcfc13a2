/**
 * Compiles the golden model's WebAssembly text (quant/golden/wasm/kernels.wat) into the binary beside it
 * (kernels.wasm, committed, what quant/golden/wasm/kernels.ts loads) with wabt's wat2wasm (the npm package
 * `wabt`, a devDependency: the build runs here, never at load time, so a user of the library needs no toolchain).
 *   node --import tsx tools/build-wasm.ts           writes kernels.wasm
 *   node --import tsx tools/build-wasm.ts --check   exits 1 when kernels.wasm is not what kernels.wat compiles to
 * The output is deterministic: no debug names, canonical LEBs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabt from 'wabt';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'quant', 'golden', 'wasm');
const WAT = join(DIR, 'kernels.wat');
const WASM = join(DIR, 'kernels.wasm');

async function compile(): Promise<Uint8Array> {
  const tools = await wabt();
  const mod = tools.parseWat('kernels.wat', readFileSync(WAT, 'utf8'), { simd: true, bulk_memory: true });
  try {
    mod.validate();
    return mod.toBinary({ log: false, canonicalize_lebs: true, write_debug_names: false }).buffer;
  } finally {
    mod.destroy();
  }
}

async function main(): Promise<void> {
  const bytes = await compile();
  if (process.argv.includes('--check')) {
    const committed = readFileSync(WASM);
    if (!Buffer.from(bytes).equals(committed)) {
      console.error(`quant/golden/wasm/kernels.wasm (${committed.length} bytes) is not what kernels.wat compiles to (${bytes.length} bytes): run node --import tsx tools/build-wasm.ts`);
      process.exitCode = 1;
      return;
    }
    console.log(`quant/golden/wasm/kernels.wasm is up to date (${bytes.length} bytes)`);
    return;
  }
  writeFileSync(WASM, bytes);
  console.log(`wrote quant/golden/wasm/kernels.wasm (${bytes.length} bytes)`);
}

await main();
