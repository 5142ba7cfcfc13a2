/**
 * Writes a trained model's export: the quant/format model directory with summary.json beside the manifest, staged
 * in a temporary sibling and renamed into place, so that a failed or killed run leaves nothing half written.
 */
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../../quant/errors.ts';
import { writeModel } from '../../quant/format/index.ts';
import { FORMAT_NAME, type QuantModel } from '../../quant/format/types.ts';
import { readJsonFile } from '../../quant/parse-json.ts';
import { trainSummarySchema, type TrainSummary } from '../summary.ts';

export const SUMMARY_FILE = 'summary.json';

function isModelDir(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { format?: unknown }).format === FORMAT_NAME;
  } catch {
    return false;
  }
}

/**
 * Throws a UsageError, before any training, unless `dir` can receive an export: it must be absent, an empty
 * directory or an earlier export, and its nearest existing ancestor must be a writable directory.
 */
export function checkExportDir(dir: string): string {
  const target = resolve(dir);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new UsageError(`output ${target} exists and is not a folder`);
    if (readdirSync(target).length > 0 && !isModelDir(target)) {
      throw new UsageError(`output folder ${target} is not empty and holds no int8cosim model; refusing to overwrite it`);
    }
  }
  let probe = dirname(target);
  while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe);
  try {
    if (!statSync(probe).isDirectory()) throw new Error('not a folder');
    // A real write (permission bits say little to root or on a read-only mount): create and remove a probe.
    rmdirSync(mkdtempSync(join(probe, '.int8cosim-probe-')));
    if (existsSync(target)) accessSync(target, constants.W_OK);
  } catch (cause) {
    throw new UsageError(`output folder ${target} is not writable (${probe}: ${(cause as Error).message})`, { cause });
  }
  return target;
}

export function writeExport(dir: string, model: QuantModel, summary: TrainSummary): string {
  const target = checkExportDir(dir);
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  const stage = join(dirname(target), `.${basename(target)}.stage-${stamp}`);
  try {
    writeModel(stage, model);
    writeFileSync(join(stage, SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
    if (existsSync(target)) {
      const old = join(dirname(target), `.${basename(target)}.old-${stamp}`);
      renameSync(target, old);
      renameSync(stage, target);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(stage, target);
    }
  } catch (err) {
    rmSync(stage, { recursive: true, force: true });
    throw err;
  }
  return target;
}

/** The training summary of an export, checked by its schema (a FormatError names the bad key). */
export function readSummary(dir: string): TrainSummary {
  return readJsonFile(trainSummarySchema, join(dir, SUMMARY_FILE));
}
