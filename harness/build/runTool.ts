/**
 * The one runner of external tools (Verilator, the C++ compiler, a testbench, Icarus, a synthesis worker): collects
 * the output, stops the tool after an optional time limit, and turns a failure into an error that carries the
 * output verbatim: ToolMissingError when the command is not on PATH (with the command that installs it), ToolError
 * (a BuildError) for a non-zero exit, a signal or a time limit run out.
 */
import { spawn, spawnSync } from 'node:child_process';
import { BuildError, ToolMissingError } from '../../quant/errors.ts';

export interface ToolResult {
  stdout: string;
  stderr: string;
}

export interface ToolOptions {
  cwd?: string;
  /** Stop the tool (SIGKILL) after this many seconds; default no limit. */
  timeoutSeconds?: number;
  /** The command that installs the tool, named when it is not on PATH (`sudo apt-get install -y verilator`). */
  install?: string;
}

/** A tool that ran and failed: its exit status or signal, whether its time ran out, and what it printed. */
export class ToolError extends BuildError {
  constructor(
    message: string,
    readonly result: ToolResult & { code: number | null; signal: string | null; timedOut: boolean },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const MAX_BUFFER = 256 << 20;

function notFound(cmd: string, what: string, run: ToolOptions, err: Error): ToolMissingError | ToolError {
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
    return new ToolMissingError(`${what}: ${cmd} is not installed (not on PATH)${run.install !== undefined ? `; install it with: ${run.install}` : ''}`, { cause: err });
  }
  return new ToolError(`${what}: cannot run ${cmd}: ${err.message}`, { stdout: '', stderr: '', code: null, signal: null, timedOut: false }, { cause: err });
}

function outcome(what: string, run: ToolOptions, r: ToolResult & { code: number | null; signal: string | null; timedOut: boolean }): ToolResult {
  if (r.code === 0 && !r.timedOut) return { stdout: r.stdout, stderr: r.stderr };
  const status = r.timedOut ? `ran out of its ${run.timeoutSeconds} s limit` : r.signal !== null ? `was killed by ${r.signal}` : `failed (exit ${r.code})`;
  throw new ToolError(`${what} ${status}:\n${`${r.stderr}${r.stdout}`.trimEnd()}`, r);
}

/** Runs `cmd args` to its end; resolves with its output, rejects with ToolMissingError or ToolError. */
export function runTool(cmd: string, args: string[], what: string, run: ToolOptions = {}): Promise<ToolResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: run.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = run.timeoutSeconds === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, run.timeoutSeconds * 1000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(notFound(cmd, what, run, err));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      try {
        resolvePromise(outcome(what, run, { stdout, stderr, code, signal, timedOut }));
      } catch (err) {
        reject(err);
      }
    });
  });
}

/** The same on the calling thread (for callers that are synchronous themselves). */
export function runToolSync(cmd: string, args: string[], what: string, run: ToolOptions = {}): ToolResult {
  const r = spawnSync(cmd, args, {
    cwd: run.cwd, encoding: 'utf8', maxBuffer: MAX_BUFFER, stdio: ['ignore', 'pipe', 'pipe'],
    ...(run.timeoutSeconds !== undefined ? { timeout: run.timeoutSeconds * 1000, killSignal: 'SIGKILL' as const } : {}),
  });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  if (r.error !== undefined && !timedOut) throw notFound(cmd, what, run, r.error);
  return outcome(what, run, { stdout: r.stdout ?? '', stderr: r.stderr ?? '', code: r.status, signal: r.signal, timedOut });
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
