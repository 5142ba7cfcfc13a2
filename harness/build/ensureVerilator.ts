/**
 * `make cosim` on a fresh machine: when Verilator is missing, install it with apt-get if we are root and nobody is
 * at the keyboard (CI); otherwise stop with one line saying how.
 */
import { spawnSync } from 'node:child_process';
import { ToolMissingError } from '../../quant/errors.ts';
import { VERILATOR_INSTALL_HINT, verilatorVersionLine } from './tools.ts';

export function ensureVerilator(log: (line: string) => void = () => {}): string {
  const have = verilatorVersionLine();
  if (have !== undefined) return have;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || process.stdin.isTTY === true) {
    throw new ToolMissingError(`Verilator is not installed; install it with: ${VERILATOR_INSTALL_HINT}`);
  }
  log('Verilator is missing: apt-get install -y verilator g++');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const steps: string[][] = [['apt-get', 'update'], ['apt-get', 'install', '-y', '--no-install-recommends', 'verilator', 'g++']];
  for (const args of steps) {
    const r = spawnSync(args[0] as string, args.slice(1), { stdio: ['ignore', 'inherit', 'inherit'], env });
    if (r.status !== 0) throw new ToolMissingError(`'${args.join(' ')}' failed; install Verilator with: ${VERILATOR_INSTALL_HINT}`);
  }
  const now = verilatorVersionLine();
  if (now === undefined) throw new ToolMissingError(`apt-get ran but 'verilator' is still not on PATH; install it with: ${VERILATOR_INSTALL_HINT}`);
  return now;
}
