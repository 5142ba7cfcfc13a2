/**
 * Housekeeping of the Verilator build cache (.cache/verilator): temporary directories of builds that died, and the
 * least recently used entries beyond CACHE_KEEP. Every use of an entry touches its build.json (buildRtl), and each
 * new build prunes.
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BuildError } from '../../quant/errors.ts';

/**
 * Moves a finished build from its temporary directory into its cache entry `dir`. When another process finished
 * the same build first (`marker`, a file of the entry, exists), its copy stays and this one is dropped by the
 * caller's clean-up of `tmp`.
 */
export function moveIntoCache(tmp: string, dir: string, marker: string): void {
  try {
    renameSync(tmp, dir);
  } catch (err) {
    if (!existsSync(join(dir, marker))) throw new BuildError(`cannot move the build into ${dir}: ${(err as Error).message}`, { cause: err });
  }
}

/** Removes temporary directories of builds that died more than an hour ago. */
export function sweepStale(cacheDir: string): void {
  let names: string[];
  try {
    names = readdirSync(cacheDir);
  } catch {
    return;
  }
  for (const n of names) {
    if (!n.startsWith('tmp-')) continue;
    const p = join(cacheDir, n);
    try {
      if (Date.now() - statSync(p).mtimeMs > 3600_000) rmSync(p, { recursive: true, force: true });
    } catch {
      // raced with its owner; leave it
    }
  }
}

/** How many builds the cache keeps (each is a Verilated model, about 0.5-2 MB). */
export const CACHE_KEEP = 64;
const ENTRY = /^[0-9a-f]{24}$/;

/**
 * Removes the least recently used build entries (by their build.json's mtime, which every use touches) beyond the
 * `keep` newest, but none used within `minIdleMs`: another process may be about to load it. The Verilator runtime
 * objects and temporary directories are not entries. Returns the names removed.
 */
export function pruneBuildCache(cacheDir: string, keep = CACHE_KEEP, minIdleMs = 3600_000): string[] {
  let names: string[];
  try {
    names = readdirSync(cacheDir).filter((n) => ENTRY.test(n));
  } catch {
    return [];
  }
  const used: Array<{ name: string; at: number }> = [];
  for (const name of names) {
    try {
      used.push({ name, at: statSync(join(cacheDir, name, 'build.json')).mtimeMs });
    } catch {
      used.push({ name, at: 0 }); // no manifest: not a complete entry
    }
  }
  used.sort((a, b) => b.at - a.at);
  const removed: string[] = [];
  const now = Date.now();
  for (const e of used.slice(keep)) {
    if (now - e.at < minIdleMs) continue;
    try {
      rmSync(join(cacheDir, e.name), { recursive: true, force: true });
      removed.push(e.name);
    } catch {
      // raced with another process; leave it
    }
  }
  return removed;
}
