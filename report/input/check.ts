/**
 * Small validators for the JSON the report reads. Each names the file and key path of the bad value, so that a
 * malformed report.json fails with `report.json: accuracy.rtl: expected a number in [0, 1], got 97.2`.
 */
import { FormatError } from '../../quant/errors.ts';

export type Json = Record<string, unknown>;

/** A location in a JSON file, for messages: `file: a.b[3].c`. */
export class At {
  constructor(readonly file: string, readonly path: string = '') {}
  key(k: string | number): At {
    return new At(this.file, typeof k === 'number' ? `${this.path}[${k}]` : this.path === '' ? k : `${this.path}.${k}`);
  }
  fail(expected: string, got: unknown): never {
    throw new FormatError(`${this.file}: ${this.path || '(top level)'}: expected ${expected}, got ${show(got)}`);
  }
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function obj(v: unknown, at: At): Json {
  return isObject(v) ? v : at.fail('an object', v);
}

export function arr(v: unknown, at: At): unknown[] {
  return Array.isArray(v) ? v : at.fail('an array', v);
}

export function str(v: unknown, at: At): string {
  return typeof v === 'string' ? v : at.fail('a string', v);
}

export function num(v: unknown, at: At): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : at.fail('a finite number', v);
}

export function int(v: unknown, at: At, min = 0): number {
  return Number.isInteger(v) && (v as number) >= min ? (v as number) : at.fail(`an integer >= ${min}`, v);
}

export function fraction(v: unknown, at: At): number {
  return typeof v === 'number' && v >= 0 && v <= 1 ? v : at.fail('a number in [0, 1]', v);
}

/** The value at `key` checked by `f`, or undefined when the key is absent or null. */
export function opt<T>(o: Json, key: string, at: At, f: (v: unknown, at: At) => T): T | undefined {
  const v = o[key];
  return v === undefined || v === null ? undefined : f(v, at.key(key));
}

/** The first key of `keys` that is present (not undefined/null), checked by `f`. For tolerated aliases. */
export function optAny<T>(o: Json, keys: readonly string[], at: At, f: (v: unknown, at: At) => T): T | undefined {
  for (const k of keys) {
    const r = opt(o, k, at, f);
    if (r !== undefined) return r;
  }
  return undefined;
}

export function req<T>(o: Json, key: string, at: At, f: (v: unknown, at: At) => T): T {
  const r = opt(o, key, at, f);
  return r === undefined ? at.key(key).fail('a value', undefined) : r;
}
