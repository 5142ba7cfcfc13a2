/**
 * `int8cosim cosim` run by hand on a fresh machine: when Verilator is missing, bin/ensure-system-packages installs
 * the packages system-packages.txt lists for cosim (apt-get, as root with nobody at the keyboard, as on CI);
 * otherwise the command stops with that script's one line naming the apt-get command.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ToolMissingError } from '../../quant/errors.ts';
import { VERILATOR_INSTALL_HINT, verilatorVersionLine } from './tools.ts';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'ensure-system-packages');

export function ensureVerilator(log: (line: string) => void = () => {}): string {
  const have = verilatorVersionLine();
  if (have !== undefined) return have;
  log('Verilator is missing: bin/ensure-system-packages cosim');
  const r = spawnSync('bash', [SCRIPT, 'cosim'], { stdio: ['inherit', 'inherit', 'pipe'], encoding: 'utf8' });
  const said = (r.stderr ?? '').trim();
  if (r.status !== 0) {
    const line = said.split('\n').filter((l) => l.length > 0).pop();
    throw new ToolMissingError(line ?? `Verilator is not installed; install it with: ${VERILATOR_INSTALL_HINT}`);
  }
  if (said.length > 0) log(said);
  const now = verilatorVersionLine();
  if (now === undefined) throw new ToolMissingError(`the system packages were installed but 'verilator' is still not on PATH; install it with: ${VERILATOR_INSTALL_HINT}`);
  return now;
}
