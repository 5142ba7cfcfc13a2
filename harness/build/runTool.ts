/** Runs an external tool and collects its output; a non-zero exit becomes a BuildError carrying that output verbatim. */
import { spawn } from 'node:child_process';
import { BuildError } from '../../quant/errors.ts';

export interface ToolResult {
  stdout: string;
  stderr: string;
}

export function runTool(cmd: string, args: string[], what: string, cwd?: string): Promise<ToolResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) => reject(new BuildError(`${what}: cannot run ${cmd}: ${err.message}`, { cause: err })));
    child.on('close', (code, signal) => {
      if (code === 0) resolvePromise({ stdout, stderr });
      else {
        const output = `${stderr}${stdout}`.trimEnd();
        const status = signal ? `was killed by ${signal}` : `failed (exit ${code})`;
        reject(new BuildError(`${what} ${status}:\n${output}`));
      }
    });
  });
}

/** Runs the jobs with at most `limit` at once; the first failure rejects (after the running ones finish). */
export async function runLimited<T>(jobs: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  let failure: unknown;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < jobs.length) {
      const i = next++;
      try {
        results[i] = await (jobs[i] as () => Promise<T>)();
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, jobs.length)) }, worker));
  if (failure !== undefined) throw failure;
  return results;
}
