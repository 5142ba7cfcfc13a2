/**
 * The one way the project loads native code: koffi, with the call stacks harness/sim's Verilated models need.
 * koffi takes its stack sizes only before its first library load, so whichever binding loads first (the golden
 * model's kernels, quant/golden/native, or a Verilated model, harness/sim) must ask for them: both load through
 * here. Typed arrays passed to a bound function go by pointer, zero-copy.
 */
import koffi from 'koffi';

/** The stack koffi gives each call, sync and async: the most it allows (pages are mapped only when touched). */
export const KOFFI_STACK = 16 << 20;

let stacks: number | undefined;

/** The smaller of koffi's sync and async call stacks, after asking for KOFFI_STACK (possible only before koffi's first load). */
export function koffiStack(): number {
  if (stacks !== undefined) return stacks;
  try {
    koffi.config({ sync_stack_size: KOFFI_STACK, async_stack_size: KOFFI_STACK });
  } catch {
    // a library was loaded before through koffi itself: koffi keeps the sizes it has
  }
  const c = koffi.config() as { sync_stack_size: number; async_stack_size: number };
  stacks = Math.min(c.sync_stack_size, c.async_stack_size);
  return stacks;
}

/** The shared library at `path`, loaded with the stacks above. */
export function loadLibrary(path: string): ReturnType<typeof koffi.load> {
  koffiStack();
  return koffi.load(path);
}
