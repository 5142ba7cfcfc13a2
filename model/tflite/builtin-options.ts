/**
 * The builtin options of an operator, decoded and encoded generically: every table of the BuiltinOptions and
 * BuiltinOptions2 unions through flatc's own accessors and add methods, driven by the field list flatc's
 * JSON-schema reading gives (third_party/tflite-schema/option-fields.ts). No table is written out by hand, so
 * every op's options read and write the same way.
 */
import * as flatbuffers from 'flatbuffers';
import * as S from './third_party/tflite-schema/schema_generated.ts';
import { OPTION_FIELDS, type OptionField } from './third_party/tflite-schema/option-fields.ts';
import type { Operator } from './third_party/tflite-schema/tflite/operator.ts';
import { TfliteFormatError } from './errors.ts';
import type { TfliteOptions } from './graph.ts';

type Method = (...args: unknown[]) => unknown;
/** A generated options table: instance accessors (`strideW()`, `newShape(i)`, `newShapeLength()`). */
type TableInstance = Record<string, Method>;
/** A generated options class: its constructor and static builders (`startConv2DOptions`, `addStrideW`, ...). */
type TableClass = (new () => TableInstance) & Record<string, Method>;

const SCHEMA = S as unknown as Record<string, unknown>;

/** A schema enum (flatc's TypeScript enum: name -> value and value -> name). */
function schemaEnum(name: string): Record<string | number, string | number> {
  const e = SCHEMA[name];
  if (typeof e !== 'object' || e === null) throw new Error(`schema enum ${name} is missing from the generated code`);
  return e as Record<string | number, string | number>;
}

const UNION_1 = schemaEnum('BuiltinOptions');
const UNION_2 = schemaEnum('BuiltinOptions2');

function tableClass(name: string): TableClass {
  const c = SCHEMA[name];
  if (typeof c !== 'function') throw new Error(`schema table ${name} is missing from the generated code`);
  return c as TableClass;
}

const upper = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

function toNumber(v: bigint, where: () => string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new TfliteFormatError(`${where()}: 64-bit value ${v} is beyond a safe integer`);
  return n;
}

function readScalar(f: OptionField, v: unknown, where: () => string): number | boolean | string {
  switch (f.kind) {
    case 'bool':
      return v === true;
    case 'int64':
      return toNumber(v as bigint, where);
    case 'string':
      return (v as string | null) ?? '';
    case 'enum': {
      const name = schemaEnum(f.enum ?? '')[v as number];
      if (typeof name !== 'string') throw new TfliteFormatError(`${where()}: ${v} is not a value of the schema's ${f.enum}`);
      return name;
    }
    default:
      return v as number;
  }
}

/** Every field of an options table (`table`, an instance of flatc's class for `optionsType`). */
function decodeTable(optionsType: string, table: TableInstance, where: () => string): TfliteOptions {
  const fields = OPTION_FIELDS[optionsType];
  if (fields === undefined) throw new Error(`no field list for ${optionsType} in third_party/tflite-schema/option-fields.ts`);
  const options: TfliteOptions = {};
  for (const f of fields) {
    const at = (): string => `${where()}, ${optionsType}.${f.name}`;
    const get = table[f.name] as Method;
    if (f.vector) {
      const n = (table[`${f.name}Length`] as Method).call(table) as number;
      const values: number[] = [];
      for (let i = 0; i < n; i++) {
        const v = get.call(table, i);
        values.push(f.kind === 'bool' ? (v ? 1 : 0) : f.kind === 'int64' ? toNumber(v as bigint, at) : (v as number));
      }
      options[f.name] = values;
    } else {
      options[f.name] = readScalar(f, get.call(table), at);
    }
  }
  return options;
}

/**
 * The options of an operator: its union member's name and every field of the table. `where` names the file and
 * the operator for the errors (an options type the schema does not know, an out-of-range enum value).
 */
export function readBuiltinOptions(op: Operator, where: () => string): { optionsType: string; options: TfliteOptions } {
  const t1 = op.builtinOptionsType();
  const t2 = op.builtinOptions2Type();
  if (t1 !== 0 && t2 !== 0) throw new TfliteFormatError(`${where()}: both builtin_options and builtin_options_2 are set`);
  const union = t2 !== 0 ? UNION_2 : UNION_1;
  const code = t2 !== 0 ? t2 : t1;
  const optionsType = union[code];
  if (typeof optionsType !== 'string') {
    throw new TfliteFormatError(`${where()}: options type ${code} is not in the schema's BuiltinOptions${t2 !== 0 ? '2' : ''}`);
  }
  if (code === 0) return { optionsType, options: {} };
  const Cls = tableClass(optionsType);
  const table = (t2 !== 0 ? op.builtinOptions2(new Cls()) : op.builtinOptions(new Cls())) as TableInstance | null;
  if (table === null) throw new TfliteFormatError(`${where()}: options type ${optionsType} without its table`);
  return { optionsType, options: decodeTable(optionsType, table, where) };
}

/**
 * `options` completed with the schema's default for every field it leaves out (what readTflite gives back for a
 * table written from `options`): read from an empty table through flatc's accessors, so the defaults are the
 * schema's. An unknown optionsType or field is an error.
 */
export function withDefaultOptions(optionsType: string, options: TfliteOptions, where = (): string => optionsType): TfliteOptions {
  // Written once into a scratch builder: that checks the type, the names and the kinds.
  if (writeBuiltinOptions(new flatbuffers.Builder(64), optionsType, options, where) === undefined) return {};
  const Cls = tableClass(optionsType);
  const empty = new flatbuffers.Builder(64);
  (Cls[`start${optionsType}`] as Method)(empty);
  empty.finish((Cls[`end${optionsType}`] as Method)(empty) as flatbuffers.Offset);
  const bb = new flatbuffers.ByteBuffer(empty.asUint8Array());
  const table = new Cls();
  (table.__init as Method).call(table, bb.readInt32(bb.position()) + bb.position(), bb);
  const full = decodeTable(optionsType, table, where);
  for (const [name, v] of Object.entries(options)) if (v !== undefined) full[name] = v;
  return full;
}

/** Where the options of an operator go: which union (1: builtin_options, 2: builtin_options_2), its type code and the table. */
export interface WrittenOptions {
  union: 1 | 2;
  type: number;
  offset: flatbuffers.Offset;
}

function encodeScalar(f: OptionField, v: unknown, where: () => string): unknown {
  const bad = (expected: string): never => {
    throw new TfliteFormatError(`${where()}: expected ${expected}, got ${JSON.stringify(v)}`);
  };
  switch (f.kind) {
    case 'bool':
      return typeof v === 'boolean' ? v : bad('a boolean');
    case 'string':
      return typeof v === 'string' ? v : bad('a string');
    case 'enum': {
      const code = typeof v === 'string' ? schemaEnum(f.enum ?? '')[v] : undefined;
      return typeof code === 'number' ? code : bad(`a name of the schema's ${f.enum}`);
    }
    case 'int64':
      return typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : bad('an integer');
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) ? v : bad('an integer');
    default:
      return typeof v === 'number' ? v : bad('a number');
  }
}

/**
 * Writes an options table into the builder (before the operator that refers to it is started). A field missing
 * from `options` takes the schema's default; a field the table does not have, or a value of the wrong kind, is an
 * error naming it. optionsType 'NONE' writes nothing and returns undefined.
 */
export function writeBuiltinOptions(builder: flatbuffers.Builder, optionsType: string, options: TfliteOptions, where: () => string): WrittenOptions | undefined {
  const c1 = UNION_1[optionsType];
  const c2 = UNION_2[optionsType];
  const type = typeof c1 === 'number' ? c1 : typeof c2 === 'number' ? c2 : undefined;
  if (type === undefined) throw new TfliteFormatError(`${where()}: '${optionsType}' is not a member of the schema's BuiltinOptions or BuiltinOptions2`);
  const fields = OPTION_FIELDS[optionsType];
  if (type === 0 || fields === undefined) {
    if (Object.keys(options).length > 0) throw new TfliteFormatError(`${where()}: options given with optionsType 'NONE'`);
    return undefined;
  }
  const known = new Set(fields.map((f) => f.name));
  for (const name of Object.keys(options)) {
    if (!known.has(name)) throw new TfliteFormatError(`${where()}: ${optionsType} has no field '${name}' (fields: ${[...known].join(', ')})`);
  }
  const Cls = tableClass(optionsType);
  // Vectors and strings are written before the table is started (flatbuffers builds children first).
  const values = new Map<string, unknown>();
  for (const f of fields) {
    const v = options[f.name];
    if (v === undefined) continue;
    const at = (): string => `${where()}, ${optionsType}.${f.name}`;
    if (f.vector) {
      if (!Array.isArray(v)) throw new TfliteFormatError(`${at()}: expected a number[], got ${JSON.stringify(v)}`);
      if (v.length === 0) continue;
      const items = v.map((x) => encodeScalar(f.kind === 'enum' ? { name: f.name, kind: 'int' } : f, f.kind === 'bool' ? x !== 0 : x, at));
      values.set(f.name, (Cls[`create${upper(f.name)}Vector`] as Method)(builder, items));
    } else {
      const x = encodeScalar(f, v, at);
      values.set(f.name, f.kind === 'string' ? builder.createString(x as string) : x);
    }
  }
  (Cls[`start${optionsType}`] as Method)(builder);
  for (const [name, v] of values) (Cls[`add${upper(name)}`] as Method)(builder, v);
  const offset = (Cls[`end${optionsType}`] as Method)(builder) as flatbuffers.Offset;
  return { union: typeof c1 === 'number' ? 1 : 2, type, offset };
}
