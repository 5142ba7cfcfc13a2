/**
 * The field types the project's JSON schemas share, each with the words a FormatError says it expected
 * (quant/parse-json.ts): `int(1)` fails with `expected an integer >= 1, got 0`.
 */
import { z } from 'zod';

/** An integer >= min (default 0). */
export function int(min = 0): z.ZodInt {
  const msg = `an integer >= ${min}`;
  return z.int(msg).min(min, msg);
}

/** A fraction in [0, 1] (accuracies, utilizations). */
export const fraction = z.number('a number in [0, 1]').min(0, 'a number in [0, 1]').max(1, 'a number in [0, 1]');

/** Any finite number. */
export const finite = z.number('a finite number');

export const text = z.string('a string');
