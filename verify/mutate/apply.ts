/**
 * Applies one mutant to a copy of rtl/ (never to rtl/ itself): out/mutate/<name>/rtl/ holds every file of rtl/,
 * with the one search/replace done, and its own cosim.json, so that the harness builds it under its own cache key
 * (the key hashes the source contents).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError } from '../../quant/errors.ts';
import type { Mutant } from './catalogue.ts';

export interface AppliedMutant {
  dir: string;
  /** The rtl config of the copy (cosim.json). */
  configPath: string;
  /** A unified-style diff of the one change: "--- rtl/f\n+++ mutant/f\n@@ line N @@\n-old\n+new". */
  diff: string;
}

function occurrences(text: string, s: string): number {
  let n = 0;
  for (let i = text.indexOf(s); i >= 0; i = text.indexOf(s, i + 1)) n++;
  return n;
}

/** Checks that the mutant's search text occurs exactly once in its file of rtlDir. */
export function checkMutant(m: Mutant, rtlDir: string): string {
  const path = join(rtlDir, m.file);
  if (!existsSync(path)) throw new FormatError(`mutant ${m.name}: ${m.file} is not in ${rtlDir}`);
  const text = readFileSync(path, 'utf8');
  const n = occurrences(text, m.search);
  if (n !== 1) throw new FormatError(`mutant ${m.name}: the search text occurs ${n} times in ${m.file} (must be once): ${m.search}`);
  if (m.search === m.replace) throw new FormatError(`mutant ${m.name}: replace equals search`);
  return text;
}

export function applyMutant(m: Mutant, rtlDir: string, outRoot: string): AppliedMutant {
  const text = checkMutant(m, rtlDir);
  const dir = join(outRoot, m.name, 'rtl');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(rtlDir)) cpSync(join(rtlDir, f), join(dir, f), { recursive: true });
  const at = text.indexOf(m.search);
  writeFileSync(join(dir, m.file), text.slice(0, at) + m.replace + text.slice(at + m.search.length));
  const line = text.slice(0, at).split('\n').length;
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = text.indexOf('\n', at + m.search.length);
  const oldLine = text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  const newLine = oldLine.replace(m.search, m.replace);
  // a search of several lines: every line of both sides marked
  const mark = (sign: string, text: string): string => text.split('\n').map((l) => `${sign}${l}`).join('\n');
  const diff = `--- rtl/${m.file}\n+++ mutant/${m.file}\n@@ line ${line} @@\n${mark('-', oldLine)}\n${mark('+', newLine)}`;
  return { dir, configPath: join(dir, 'cosim.json'), diff };
}
