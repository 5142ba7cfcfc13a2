/**
 * The Verilator and C++ command lines of a build, one flag a line with the reason for it. Everything that changes
 * the generated model goes into these lists, and the lists go into the cache key.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RtlConfig, ParamValue } from '../config/rtlConfig.ts';

/**
 * The contract's SystemVerilog includes (rtl/include: int8cosim_ports.svh, the port list rendered from
 * hw-sim/contract, and int8cosim_assert.svh), on every build's include path after the config's own directories, so
 * that any RTL can `include "int8cosim_ports.svh"` wherever its files are.
 */
export const CONTRACT_INCLUDE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'rtl', 'include');

/** Prefix of the generated model class; the C ABI (native/int8cosim_abi.cpp) includes "Vdut.h". */
export const MODEL_PREFIX = 'Vdut';

export interface FlagInput {
  config: RtlConfig;
  parameters: Record<string, ParamValue>;
  defines: Record<string, string>;
  deep: boolean;
  trace: boolean;
  objDir: string;
}

export function verilatorArgs(x: FlagInput): string[] {
  return [
    '--cc', // C++ model only; the harness compiles and links it itself (no --exe, no make)
    '--prefix', MODEL_PREFIX, // fixed class name, whatever the top is called
    '--top-module', x.config.top, // the documented top (ARCHITECTURE.md section 3)
    '--Mdir', x.objDir, // generated sources go into the temporary build directory
    ...(x.trace ? ['--trace'] : []), // VCD tracing: only in the build that replays a mismatch window (it costs 6-10x at 16x16 even while off)
    '--savable', // VerilatedSave/Restore: replay a window from a saved state
    '--assert', // the RTL's own assertions (hazard checks, parameter checks) are live
    '--no-timing', // synchronous RTL: no delays, no coroutine scheduler
    '-x-assign', 'unique', // X assignments get random values, so that depending on one shows as a mismatch
    '-x-initial', 'unique', // so does every flop a reset forgets (the C ABI seeds the randomisation)
    '-Wno-fatal', // lint warnings go to the build log; they do not stop a co-simulation
    '-Werror-USERERROR', // ... but the RTL's own elaboration-time $error (a parameter check) stops the build
    '-Werror-USERFATAL', // ... and so does its $fatal (-Wno-fatal alone turns both into warnings)
    ...(x.deep ? ['--public-flat-rw'] : []), // deep mode: PE registers readable by name (ARCHITECTURE.md section 6)
    ...x.config.includeDirs.map((d) => `-I${d}`), // the config's include directories
    `-I${CONTRACT_INCLUDE_DIR}`, // ... then the contract's (a config's own file of the same name wins)
    ...Object.entries(x.defines).map(([k, v]) => (v === '' ? `+define+${k}` : `+define+${k}=${v}`)), // config + request defines
    ...Object.entries(x.parameters).map(([k, v]) => `-G${k}=${typeof v === 'string' ? JSON.stringify(v) : v}`), // top parameters
    ...x.config.files, // the sources, in the config's order
  ];
}

/** Flags for every C++ file of a build (the model, the C ABI and the Verilator runtime). */
export function cxxCommonFlags(include: string): string[] {
  return [
    '-std=gnu++17', // Verilator 5 runtime needs C++14; 17 is what its makefiles pick
    '-fPIC', // everything ends up in a shared object loaded by koffi
    '-fvisibility=hidden', // several models (one per array shape) live in one process: only the ic_* ABI is exported,
    '-fvisibility-inlines-hidden', // so that no model binds to another model's (same-named) Verilator classes
    '-fno-gnu-unique', // ... nor shares their function-local statics (STB_GNU_UNIQUE is process-wide)
    '-faligned-new', // as verilated.mk: VlWide and friends are over-aligned
    '-fcf-protection=none', // as verilated.mk
    '-w', // warnings of generated code are noise here; errors still stop the build
    `-I${include}`, // verilated.h
    `-I${include}/vltstd`, // svdpi.h, vpi_user.h
    '-DVM_COVERAGE=0', // no coverage counters
    '-DVM_SC=0', // no SystemC
    '-DVM_TRACE_FST=0', // VCD, not FST (VM_TRACE and VM_TRACE_VCD follow --trace: modelTraceFlags)
    '-DVL_USER_FATAL', // the C ABI defines vl_fatal: a fatal error throws into the call, never aborts node
    '-DVL_USER_STOP', // ... and vl_stop ($stop, failed assertions): the call returns an error
    '-DVL_USER_FINISH', // ... and vl_finish
  ];
}

/** The defines verilated.mk derives from --trace, for the model and the C ABI (the runtime always has VCD support). */
export function modelTraceFlags(trace: boolean): string[] {
  return [`-DVM_TRACE=${trace ? 1 : 0}`, `-DVM_TRACE_VCD=${trace ? 1 : 0}`];
}

/** Link flags of the shared object: bind every internal reference to this object's own definitions. */
export const LINK_FLAGS = ['-shared', '-Wl,-Bsymbolic', '-Wl,--no-undefined', '-lpthread'];

/** Optimisation of the Verilator runtime: -O2 (measured faster than verilated.mk's -Os on this array). */
export const CXX_OPT = '-O2';

/**
 * Optimisation of the model and the C ABI: -O3. RTL alone against -O2, C driver, interleaved rounds in one process
 * (2026-12-02): 8x8 1.08-1.14x (median of 8, 10 and 16 rounds), 16x16 1.10x, 32x32 0.89, 0.99 and 1.01x (neutral).
 * It costs 1-2 s more to compile at 8x8 (13 against 11-12.5 s). Tried beside it: -fno-semantic-interposition with
 * -fno-plt, 0.97-1.15x (not kept: no steady gain); -ftls-model=initial-exec does not load (dlopen: "cannot allocate
 * memory in static TLS block").
 */
export const MODEL_OPT = '-O3';

/** The runtime files of Verilator a --cc model needs (verilated.mk's VM_GLOBAL_FAST for --trace --savable). */
export const RUNTIME_SOURCES = ['verilated', 'verilated_dpi', 'verilated_save', 'verilated_vcd_c', 'verilated_threads'] as const;
