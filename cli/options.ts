/**
 * The one parser of numeric option values for the sub-commands: a string from parseArgs to a number, or a
 * UsageError that names the option, what it expects and the value given.
 */
import { CHECK_MODES, type CheckMode } from '../harness/transaction/check-mode.ts';
import { UsageError } from '../quant/errors.ts';

export interface IntRange {
  min?: number;
  max?: number;
}

/** `--name` as an integer within [min, max] (either bound optional); undefined when the option is absent. */
export function intOption(name: string, v: string | undefined, range: IntRange = {}): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  const { min, max } = range;
  if (v.trim() === '' || !Number.isInteger(n) || (min !== undefined && n < min) || (max !== undefined && n > max)) {
    const within = min !== undefined && max !== undefined ? ` in [${min}, ${max}]` : min !== undefined ? ` >= ${min}` : max !== undefined ? ` <= ${max}` : '';
    throw new UsageError(`--${name} expects an integer${within}, got '${v}'`);
  }
  return n;
}

/** `--name` as a finite number of at least `min` (when given); undefined when the option is absent. */
export function numberOption(name: string, v: string | undefined, min?: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || (min !== undefined && n < min)) {
    throw new UsageError(`--${name} expects a number${min !== undefined ? ` >= ${min}` : ''}, got '${v}'`);
  }
  return n;
}

/**
 * `--check` (default cycles), refused beside `--deep` for transactions: deep mode compares the PE registers every
 * cycle, which the transaction-level contract leaves free.
 */
export function checkOption(v: string | undefined, deep: boolean): CheckMode {
  const check = (v ?? 'cycles') as CheckMode;
  if (!CHECK_MODES.includes(check)) throw new UsageError(`--check expects ${CHECK_MODES.join(' or ')}, got '${v}'`);
  if (check === 'transactions' && deep) {
    throw new UsageError('--deep compares PE registers every cycle, which the transaction-level contract leaves free (docs/ARCHITECTURE.md section 13): use --deep or --check transactions, not both');
  }
  return check;
}
