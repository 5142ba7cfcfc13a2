/**
 * Verilates an RTL config into a shared object with the C ABI of native/int8cosim_abi.cpp (and its generated
 * headers, abiHeaders.ts), cached under .cache/verilator/<hash>/ by a hash of the RTL sources, the flags, the
 * parameters, the C ABI, the contract's layout and the tool versions. A build happens in a temporary directory
 * that is renamed into place only when everything succeeded,
 * so a failed or killed build never leaves a cache entry. Compiler errors reach the caller verbatim (BuildError).
 * The cache keeps the CACHE_KEEP most recently used entries (buildCache.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FormatError } from '../../quant/errors.ts';
import type { ParamValue, RtlConfig } from '../config/rtlConfig.ts';
import { findToolchain, type Toolchain } from './tools.ts';
import { CACHE_KEEP, moveIntoCache, pruneBuildCache, sweepStale } from './buildCache.ts';
import { geometryHeader, layoutHeader } from './abiHeaders.ts';
import { checkPorts, geometryOf, hasFlowControl, parseModelPorts, type ArrayGeometry } from './ports.ts';
import { runLimited, runTool } from './runTool.ts';
import { STACK_USAGE_FLAG, stackBoundOfDir } from './stackUsage.ts';
import { CXX_OPT, LINK_FLAGS, MODEL_OPT, MODEL_PREFIX, RUNTIME_SOURCES, cxxCommonFlags, modelTraceFlags, verilatorArgs } from './verilatorFlags.ts';
import { roundingModesOfParam } from '../../hw-sim/contract/index.ts';
import { ROUNDING_MODES, type RoundingMode } from '../../quant/spec/index.ts';

/** Bump when the build procedure changes in a way the other inputs of the hash do not show. */
const BUILDER_VERSION = 'int8cosim-build-4';

const here = dirname(fileURLToPath(import.meta.url));
const ABI_SOURCE = join(here, '..', 'native', 'int8cosim_abi.cpp');
export const DEFAULT_CACHE_DIR = join(here, '..', '..', '.cache', 'verilator');

export interface BuildRequest {
  config: RtlConfig;
  /** Overrides of the config's parameters (Rows, Cols, AccDepth, RoundingModes, ...). */
  parameters?: Record<string, ParamValue>;
  /** Defines added to the config's (e.g. the planted fault). */
  defines?: Record<string, string>;
  /** Deep mode: PE registers readable (slower model). */
  deep?: boolean;
  /** VCD tracing compiled in (much slower model even while no trace is open); for replaying windows. */
  trace?: boolean;
  /** Default .cache/verilator of the repository. */
  cacheDir?: string;
  /** Progress lines ("verilating ...", "compiling ..."); silent by default. */
  log?: (line: string) => void;
}

/** A finished build, as recorded in its build.json. */
export interface RtlBuild {
  hash: string;
  dir: string;
  library: string;
  top: string;
  geometry: ArrayGeometry;
  /** The rounding modes the build's requantizer implements (its RoundingModes mask; all three when not given). */
  roundingModes: RoundingMode[];
  deep: boolean;
  trace: boolean;
  /** The top has the optional a_ready_o (docs/ARCHITECTURE.md section 13): the driver holds the program while it is 0. */
  flowControl: boolean;
  parameters: Record<string, ParamValue>;
  defines: Record<string, string>;
  verilatorVersion: string;
  /** Verilator's warnings (the build log), empty when clean. */
  warnings: string;
  /**
   * A bound of the stack one call into the model needs (the largest frames of the model and the C ABI added up,
   * stackUsage.ts), null when a frame is unbounded; absent in entries cached before it was measured.
   */
  stackBytes?: number | null;
  /** true when this call found the build in the cache. */
  cached: boolean;
  seconds: number;
}

const sha = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

const HDL_EXT = /\.(sv|svh|v|vh|vlt|inc)$/;

/** Content hashes of the sources and of every HDL file next to them or in an include directory. */
function sourceDigest(config: RtlConfig): string[] {
  const lines: string[] = [];
  for (const f of config.files) {
    try {
      lines.push(`${f} ${sha(readFileSync(f))}`);
    } catch (err) {
      throw new FormatError(`RTL config ${config.source}: cannot read source ${f}: ${(err as Error).message}`, { cause: err });
    }
  }
  const dirs = new Set([...config.files.map((f) => dirname(f)), ...config.includeDirs]);
  for (const d of [...dirs].sort()) {
    let names: string[];
    try {
      names = readdirSync(d).filter((n) => HDL_EXT.test(n)).sort();
    } catch (err) {
      throw new FormatError(`RTL config ${config.source}: cannot list ${d}: ${(err as Error).message}`, { cause: err });
    }
    for (const n of names) lines.push(`${join(d, n)} ${sha(readFileSync(join(d, n)))}`);
  }
  return lines;
}

/** The modes of the RoundingModes parameter (the RTL's default, 7: all three, when it is not given). */
function roundingModesOf(parameters: Record<string, ParamValue>, source: string): RoundingMode[] {
  if ('RoundingMode' in parameters) {
    throw new FormatError(
      `${source}: parameter RoundingMode is gone: the rounding is chosen per program (c_round_i); give RoundingModes, a mask of the modes the build implements (bit 0 single, 1 double, 2 ruy; default 7), or nothing`,
    );
  }
  const v = parameters.RoundingModes;
  if (v === undefined) return [...ROUNDING_MODES];
  const mask = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : NaN;
  try {
    return roundingModesOfParam(mask, `${source}: parameter RoundingModes`);
  } catch (err) {
    throw new FormatError((err as Error).message, { cause: err });
  }
}

/** Compiles Verilator's runtime once per toolchain into .cache/verilator/runtime-<hash>/. */
async function runtimeObjects(tools: Toolchain, cacheDir: string, log: (l: string) => void): Promise<string[]> {
  const flags = [...cxxCommonFlags(tools.verilatorInclude), CXX_OPT];
  const key = sha([BUILDER_VERSION, tools.verilatorVersionLine, tools.cxxVersionLine, ...flags].join('\n')).slice(0, 16);
  const dir = join(cacheDir, `runtime-${key}`);
  const objects = RUNTIME_SOURCES.map((s) => join(dir, `${s}.o`));
  if (existsSync(join(dir, 'done'))) return objects;
  const tmp = join(cacheDir, `tmp-runtime-${key}-${process.pid}-${Date.now()}`);
  mkdirSync(tmp, { recursive: true });
  try {
    log(`compiling the Verilator runtime (once per toolchain)`);
    await runLimited(
      RUNTIME_SOURCES.map((s) => () =>
        runTool(tools.cxx, [...flags, '-c', join(tools.verilatorInclude, `${s}.cpp`), '-o', join(tmp, `${s}.o`)], `compiling ${s}.cpp`),
      ),
      availableParallelism(),
    );
    writeFileSync(join(tmp, 'done'), new Date().toISOString());
    moveIntoCache(tmp, dir, 'done');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return objects;
}

export async function buildRtl(req: BuildRequest): Promise<RtlBuild> {
  const t0 = performance.now();
  const log = req.log ?? (() => {});
  const cacheDir = req.cacheDir ?? DEFAULT_CACHE_DIR;
  const tools = findToolchain();
  const config = req.config;
  const parameters = { ...config.parameters, ...(req.parameters ?? {}) };
  const defines = { ...config.defines, ...(req.defines ?? {}) };
  const deep = req.deep ?? false;
  const trace = req.trace ?? false;
  const roundingModes = roundingModesOf(parameters, config.source);

  const placeholderObj = '@OBJ@';
  const vArgs = verilatorArgs({ config, parameters, defines, deep, trace, objDir: placeholderObj });
  const cxxFlags = [...cxxCommonFlags(tools.verilatorInclude), ...modelTraceFlags(trace), MODEL_OPT, STACK_USAGE_FLAG];
  const abiSource = readFileSync(ABI_SOURCE, 'utf8');
  const hash = sha(
    [
      BUILDER_VERSION,
      tools.verilatorVersionLine,
      tools.cxxVersionLine,
      ...vArgs,
      ...cxxFlags,
      sha(abiSource),
      sha(layoutHeader(geometryOf(2, 3, 2))), // the contract's layout as the C ABI sees it (any geometry shows a change)
      ...sourceDigest(config),
    ].join('\n'),
  ).slice(0, 24);
  const finalDir = join(cacheDir, hash);
  const manifest = join(finalDir, 'build.json');
  if (existsSync(manifest)) {
    const b = JSON.parse(readFileSync(manifest, 'utf8')) as RtlBuild;
    try {
      const now = new Date();
      utimesSync(manifest, now, now); // marks the entry used (pruneBuildCache keeps the most recently used)
    } catch {
      // a read-only cache is still usable
    }
    return { ...b, dir: finalDir, library: join(finalDir, basename(b.library)), cached: true, seconds: (performance.now() - t0) / 1000 };
  }

  mkdirSync(cacheDir, { recursive: true });
  sweepStale(cacheDir);
  const pruned = pruneBuildCache(cacheDir);
  if (pruned.length > 0) log(`build cache: removed ${pruned.length} least recently used entries (keeping ${CACHE_KEEP})`);
  const tmp = join(cacheDir, `tmp-${hash}-${process.pid}-${Date.now()}`);
  const obj = join(tmp, 'obj');
  mkdirSync(obj, { recursive: true });
  try {
    log(`verilating ${config.top} (${Object.entries(parameters).map(([k, v]) => `${k}=${v}`).join(' ')}${deep ? ', deep' : ''}${trace ? ', trace' : ''})`);
    const realArgs = vArgs.map((a) => (a === placeholderObj ? obj : a));
    const v = await runTool(tools.verilator, realArgs, `verilator (${config.source})`, { cwd: tmp });
    const warnings = `${v.stderr}${v.stdout}`.trim();
    writeFileSync(join(tmp, 'build.log'), `${tools.verilator} ${realArgs.join(' ')}\n${warnings}\n`);

    const header = readFileSync(join(obj, `${MODEL_PREFIX}.h`), 'utf8');
    const modelPorts = parseModelPorts(header);
    const geometry = checkPorts(config.top, modelPorts, parameters);
    const flowControl = hasFlowControl(modelPorts);
    writeFileSync(join(obj, 'ic_geometry.h'), geometryHeader(geometry, { deep, trace, flowControl, top: config.top }));
    writeFileSync(join(obj, 'ic_layout.h'), layoutHeader(geometry));

    const runtime = await runtimeObjects(tools, cacheDir, log);
    const sources = [...readdirSync(obj).filter((f) => f.endsWith('.cpp')).map((f) => join(obj, f)), ABI_SOURCE];
    log(`compiling ${sources.length} C++ files`);
    const objects = await runLimited(
      sources.map((src) => async () => {
        const o = join(obj, `${basename(src, '.cpp')}.o`);
        await runTool(tools.cxx, [...cxxFlags, `-I${obj}`, '-c', src, '-o', o], `compiling ${basename(src)}`);
        return o;
      }),
      availableParallelism(),
    );
    const library = join(tmp, 'libdut.so');
    await runTool(tools.cxx, ['-o', library, ...objects, ...runtime, ...LINK_FLAGS], 'linking the model');
    const stackBytes = stackBoundOfDir(obj);
    rmSync(obj, { recursive: true, force: true }); // the shared object is all that is kept (and build.log)

    const build: RtlBuild = {
      hash,
      dir: finalDir,
      library: join(finalDir, 'libdut.so'),
      top: config.top,
      geometry,
      roundingModes,
      deep,
      trace,
      flowControl,
      parameters,
      defines,
      verilatorVersion: tools.verilatorVersion,
      warnings,
      stackBytes,
      cached: false,
      seconds: 0,
    };
    writeFileSync(join(tmp, 'build.json'), JSON.stringify(build, null, 2));
    moveIntoCache(tmp, finalDir, 'build.json');
    return { ...build, seconds: (performance.now() - t0) / 1000 };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
