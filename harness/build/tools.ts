/**
 * The external tools a build needs (Verilator, a C++ compiler), found on PATH. A missing tool is a
 * ToolMissingError whose one-line message says how to install it.
 */
import { ToolMissingError } from '../../quant/errors.ts';
import { runToolSync, ToolError } from './runTool.ts';

export interface Toolchain {
  verilator: string;
  /** e.g. "5.006" */
  verilatorVersion: string;
  /** The full `verilator --version` line. */
  verilatorVersionLine: string;
  /** Verilator's include directory (verilated.cpp and friends). */
  verilatorInclude: string;
  cxx: string;
  /** The first line of `c++ --version`. */
  cxxVersionLine: string;
}

export const VERILATOR_INSTALL_HINT = 'sudo apt-get install -y verilator';

function probe(cmd: string, args: string[]): { ok: boolean; out: string } {
  try {
    return { ok: true, out: runToolSync(cmd, args, `${cmd} ${args.join(' ')}`).stdout };
  } catch (err) {
    if (err instanceof ToolError) return { ok: false, out: `${err.result.stdout}${err.result.stderr}` };
    if (err instanceof ToolMissingError) return { ok: false, out: '' };
    throw err;
  }
}

/** Version lines found, by command: a cosim asks twice (ensureVerilator, then findToolchain), and each ask starts Perl. */
const versionLines = new Map<string, string>();

/** The Verilator version line, or undefined when `verilator` is not on PATH (asked again next time: it may be installed since). */
export function verilatorVersionLine(verilator = process.env.VERILATOR ?? 'verilator'): string | undefined {
  const known = versionLines.get(verilator);
  if (known !== undefined) return known;
  const r = probe(verilator, ['--version']);
  if (!r.ok) return undefined;
  const line = r.out.trim();
  versionLines.set(verilator, line);
  return line;
}

let cached: Toolchain | undefined;

/** Finds Verilator and g++ (or $VERILATOR, $CXX); throws ToolMissingError with the install command. */
export function findToolchain(): Toolchain {
  if (cached) return cached;
  const verilator = process.env.VERILATOR ?? 'verilator';
  const line = verilatorVersionLine(verilator);
  if (line === undefined) {
    throw new ToolMissingError(`Verilator is not installed (no '${verilator}' on PATH); install it with: ${VERILATOR_INSTALL_HINT}`);
  }
  const m = /Verilator\s+(\d+\.\d+)/.exec(line);
  if (!m) throw new ToolMissingError(`cannot read the Verilator version from '${line}'`);
  const version = m[1] as string;
  if (Number(version.split('.')[0]) < 5) {
    throw new ToolMissingError(`Verilator ${version} is too old (need 5.x); install a newer one with: ${VERILATOR_INSTALL_HINT}`);
  }
  const root = probe(verilator, ['--getenv', 'VERILATOR_ROOT']);
  const include = root.ok ? `${root.out.trim()}/include` : '/usr/share/verilator/include';
  const cxx = process.env.CXX ?? 'g++';
  const cxxProbe = probe(cxx, ['--version']);
  if (!cxxProbe.ok) throw new ToolMissingError(`no C++ compiler ('${cxx}' not on PATH); install one with: sudo apt-get install -y g++`);
  cached = {
    verilator,
    verilatorVersion: version,
    verilatorVersionLine: line,
    verilatorInclude: include,
    cxx,
    cxxVersionLine: (cxxProbe.out.split('\n')[0] ?? '').trim(),
  };
  return cached;
}
