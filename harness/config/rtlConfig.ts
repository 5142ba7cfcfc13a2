/**
 * The RTL a build verilates: `{top, files, includeDirs, parameters, defines}` in a JSON file (rtl/cosim.json is the
 * project's own; `int8cosim cosim --rtl-config <file>` takes anyone's). Paths are relative to the JSON file.
 * The top module must have the ports of docs/ARCHITECTURE.md section 3 and the parameters Rows, Cols, AccDepth and
 * RoundingModes of section 1 (the harness sets them with -G; RoundingModes may be left at the top's default).
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { FormatError } from '../../quant/errors.ts';
import { parseWith } from '../../quant/parse-json.ts';

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
const identifier = z.string('an identifier').regex(NAME, 'an identifier');
const path = z.string('a path').min(1, 'a non-empty path');
const noSpaces = z.string('a string without spaces').regex(/^\S*$/, 'a string without spaces');

/** The file's own shape (what a user writes); parseRtlConfig resolves its paths and normalises its defines. */
export const rtlConfigFileSchema = z.strictObject({
  top: z.string('a module name').regex(NAME, 'a module name (an identifier)'),
  files: z.array(path, 'an array of source files').min(1, 'at least one source file'),
  includeDirs: z.array(path, 'an array of folders').optional(),
  parameters: z.record(identifier, z.union([z.int(), noSpaces.min(1)], 'an integer or a string without spaces')).optional(),
  /** {NAME: value} (true, '' or null define the name alone) or ["NAME", "NAME=VALUE"]. */
  defines: z.union([
    z.record(identifier, z.union([z.literal(true), z.null(), z.number().refine(Number.isFinite), noSpaces], 'a number, a string without spaces, or true')),
    z.array(z.string('a string').regex(/^[A-Za-z_][A-Za-z0-9_$]*(=\S*)?$/, '"NAME" or "NAME=VALUE" (no spaces)')),
  ], 'an object {NAME: value} or an array of "NAME" / "NAME=VALUE"').optional(),
  description: z.string('a string').optional(),
  $comment: z.string('a string').optional(),
});
export type RtlConfigFile = z.input<typeof rtlConfigFileSchema>;

function defineMap(raw: z.output<typeof rtlConfigFileSchema>['defines']): Record<string, string> {
  const out: Record<string, string> = {};
  const entries: [string, unknown][] = Array.isArray(raw)
    ? raw.map((d) => (d.includes('=') ? [d.slice(0, d.indexOf('=')), d.slice(d.indexOf('=') + 1)] : [d, true]))
    : Object.entries(raw ?? {});
  for (const [k, v] of entries) out[k] = v === true || v === null ? '' : String(v);
  return out;
}

/** Checks (with rtlConfigFileSchema) and normalises a parsed config; `base` resolves relative paths. */
export function parseRtlConfig(raw: unknown, base: string, source: string): RtlConfig {
  const o = parseWith(rtlConfigFileSchema, raw, `RTL config ${source}`);
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(base, p));
  return {
    top: o.top,
    files: o.files.map(abs),
    includeDirs: (o.includeDirs ?? []).map(abs),
    parameters: o.parameters ?? {},
    defines: defineMap(o.defines),
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
