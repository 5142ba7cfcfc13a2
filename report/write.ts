/**
 * Writes the report atomically: a temporary file in the same folder, then a rename, so that a reader never
 * sees half a page.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from '../quant/errors.ts';

export function writeReport(path: string, html: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, html);
    renameSync(tmp, path);
  } catch (err) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The folder itself is what failed; there is no temporary file to remove.
    }
    throw new UsageError(`cannot write the report ${path}: ${(err as Error).message}`, { cause: err });
  }
}
