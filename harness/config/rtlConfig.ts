/**
 * The RTL a build verilates: `{top, files, includeDirs, parameters, defines}` in a JSON file (rtl/cosim.json is the
 * project's own; `int8cosim cosim --rtl-config <file>` takes anyone's). Paths are relative to the JSON file.
 * The top module must have the ports of docs/ARCHITECTURE.md section 3 and the parameters Rows, Cols, AccDepth,
 * RoundingMode of section 1 (the harness sets them with -G).
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FormatError } from '../../quant/errors.ts';

export type ParamValue = number | string;

export interface RtlConfig {
  /** The top module's name. */
  top: string;
  /** Source files in compile order, absolute. */
  files: string[];
  /** Include directories, absolute. */
  includeDirs: string[];
  /** Parameter values given to the top (-G); the build request may override them. */
  parameters: Record<string, ParamValue>;
  /** Preprocessor defines (+define+NAME=VALUE); a value of '' defines the name alone. */
  defines: Record<string, string>;
  /** Where the config came from (for messages). */
  source: string;
}

/** rtl/cosim.json of this repository. */
export function defaultRtlConfigPath(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'rtl', 'cosim.json');
}

const NAME = /^[A-Za-z_][A-Za-z0-9_$]*$/;

function fail(source: string, what: string): never {
  throw new FormatError(`RTL config ${source}: ${what}`);
}

function stringList(source: string, raw: unknown, key: string, base: string): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.some((x) => typeof x !== 'string' || x.length === 0)) {
    fail(source, `'${key}' must be an array of non-empty strings, got ${JSON.stringify(raw)}`);
  }
  return (raw as string[]).map((p) => (isAbsolute(p) ? p : resolve(base, p)));
}

function defineMap(source: string, raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === undefined) return out;
  const add = (name: string, value: unknown): void => {
    if (!NAME.test(name)) fail(source, `define name '${name}' is not an identifier`);
    if (value === true || value === '' || value === null) out[name] = '';
    else if (typeof value === 'number' && Number.isFinite(value)) out[name] = String(value);
    else if (typeof value === 'string' && !/\s/.test(value)) out[name] = value;
    else fail(source, `define ${name} has value ${JSON.stringify(value)}; expected a number, a string without spaces, or true`);
  };
  if (Array.isArray(raw)) {
    for (const d of raw) {
      if (typeof d !== 'string') fail(source, `'defines' entries must be "NAME" or "NAME=VALUE", got ${JSON.stringify(d)}`);
      const eq = d.indexOf('=');
      add(eq < 0 ? d : d.slice(0, eq), eq < 0 ? true : d.slice(eq + 1));
    }
  } else if (typeof raw === 'object' && raw !== null) {
    for (const [k, v] of Object.entries(raw)) add(k, v);
  } else {
    fail(source, `'defines' must be an object or an array, got ${JSON.stringify(raw)}`);
  }
  return out;
}

/** Checks and normalises a parsed config; `base` resolves relative paths. */
export function parseRtlConfig(raw: unknown, base: string, source: string): RtlConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(source, 'expected a JSON object');
  const o = raw as Record<string, unknown>;
  const known = new Set(['top', 'files', 'includeDirs', 'parameters', 'defines', 'description', '$comment']);
  const unknown = Object.keys(o).filter((k) => !known.has(k));
  if (unknown.length > 0) fail(source, `unknown keys ${unknown.join(', ')}; expected top, files, includeDirs, parameters, defines`);
  if (typeof o.top !== 'string' || !NAME.test(o.top)) fail(source, `'top' must be a module name, got ${JSON.stringify(o.top)}`);
  const files = stringList(source, o.files, 'files', base);
  if (files.length === 0) fail(source, `'files' must list at least one source file`);
  const parameters: Record<string, ParamValue> = {};
  if (o.parameters !== undefined) {
    if (typeof o.parameters !== 'object' || o.parameters === null || Array.isArray(o.parameters)) {
      fail(source, `'parameters' must be an object, got ${JSON.stringify(o.parameters)}`);
    }
    for (const [k, v] of Object.entries(o.parameters as Record<string, unknown>)) {
      if (!NAME.test(k)) fail(source, `parameter name '${k}' is not an identifier`);
      if (!((typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && !/\s/.test(v)))) {
        fail(source, `parameter ${k} = ${JSON.stringify(v)}; expected an integer or a string without spaces`);
      }
      parameters[k] = v as ParamValue;
    }
  }
  return {
    top: o.top,
    files,
    includeDirs: stringList(source, o.includeDirs, 'includeDirs', base),
    parameters,
    defines: defineMap(source, o.defines),
    source,
  };
}

/** Reads and checks a config file. */
export function loadRtlConfig(path: string = defaultRtlConfigPath()): RtlConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new FormatError(`cannot read RTL config ${path}: ${(err as Error).message}`, { cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new FormatError(`RTL config ${path} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  return parseRtlConfig(raw, dirname(resolve(path)), path);
}
