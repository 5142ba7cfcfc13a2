/**
 * Reading a JSON file the project wrote, with the zod schema its writer shares: one FormatError naming the file,
 * the key path and what was expected (`report.json: accuracy.rtl: expected a number in [0, 1], got 97.2`).
 *
 * The schemas give their own words for what they expect (`z.number('a number in [0, 1]')`); where one does not,
 * the message is built from zod's issue (the expected type, the allowed values, the unknown keys). A check across
 * fields may say what it got with `params: { got }`.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { FormatError, UsageError } from './errors.ts';

type Issue = z.core.$ZodIssue;

function keyPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : s === '' ? String(k) : `.${String(k)}`;
  return s || '(top level)';
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const k of path) v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

const ARTICLE: Record<string, string> = { object: 'an object', array: 'an array', int: 'an integer', undefined: 'nothing' };

/** What the issue expected, in words. zod's own messages start with "Invalid" or "Unrecognized"; ours do not. */
function expected(issue: Issue): string {
  if (issue.code === 'invalid_key') return `${issue.issues[0] === undefined ? 'a valid key' : expected(issue.issues[0] as Issue)} as a key`;
  if (!/^(Invalid|Unrecognized|Too |Expected )/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return ARTICLE[issue.expected] ?? `a ${issue.expected}`;
    case 'invalid_value':
      return issue.values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' | ');
    case 'unrecognized_keys':
      return 'only the keys the schema knows';
    default:
      return issue.message;
  }
}

/** The first issue, as one line: `file: key.path[2]: expected X, got Y`. */
export function formatIssue(file: string, issue: Issue, input: unknown): string {
  const last = issue.path[issue.path.length - 1];
  const got = issue.code === 'invalid_key' ? last : issue.code === 'custom' && issue.params?.got !== undefined ? issue.params.got : valueAt(input, issue.path);
  const gotText = issue.code === 'unrecognized_keys' ? `unknown ${issue.keys.length === 1 ? 'key' : 'keys'} ${issue.keys.join(', ')}` : show(got);
  return `${file}: ${keyPath(issue.path)}: expected ${expected(issue)}, got ${gotText}`;
}

/** `value` checked by `schema`, or a FormatError naming `file`, the key path and what was expected. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, file: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0] as Issue;
  throw new FormatError(formatIssue(file, issue, value), { cause: r.error });
}

/** The text of `path` as JSON: a UsageError when it cannot be read, a FormatError when it is not JSON. */
export function readJson(path: string, name: string = path): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new FormatError(`${name}: not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

/** The file at `path` read as JSON and checked by `schema`; messages name it `name` (default: the path). */
export function readJsonFile<S extends z.ZodType>(schema: S, path: string, name: string = path): z.output<S> {
  return parseWith(schema, readJson(path, name), name);
}
