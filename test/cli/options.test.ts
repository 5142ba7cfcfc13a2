import assert from 'node:assert/strict';
import { intOption, numberOption } from '../../cli/options.ts';
import { UsageError } from '../../quant/errors.ts';

const refuses = (f: () => unknown, message: RegExp): void => assert.throws(f, (e: unknown) => e instanceof UsageError && message.test(e.message));

describe('cli/options: the one numeric option parser', () => {
  it('gives undefined for an absent option and the integer for a good one', () => {
    assert.equal(intOption('rows', undefined, { min: 2, max: 32 }), undefined);
    assert.equal(intOption('rows', '32', { min: 2, max: 32 }), 32);
    assert.equal(intOption('rows', '2', { min: 2, max: 32 }), 2);
    assert.equal(intOption('seed', '0', { min: 0 }), 0);
    assert.equal(intOption('x', '-7'), -7);
  });

  it('refuses what is not an integer in range, naming the option, the range and the value', () => {
    refuses(() => intOption('rows', '33', { min: 2, max: 32 }), /^--rows expects an integer in \[2, 32\], got '33'$/);
    refuses(() => intOption('rows', '1', { min: 2, max: 32 }), /^--rows expects an integer in \[2, 32\], got '1'$/);
    refuses(() => intOption('cases', '0', { min: 1 }), /^--cases expects an integer >= 1, got '0'$/);
    refuses(() => intOption('cases', '2.5', { min: 1 }), /got '2\.5'/);
    refuses(() => intOption('cases', '', { min: 1 }), /got ''/);
    refuses(() => intOption('cases', ' ', { min: 1 }), /got ' '/);
    refuses(() => intOption('cases', 'ten'), /^--cases expects an integer, got 'ten'$/);
    refuses(() => intOption('n', '5', { max: 4 }), /^--n expects an integer <= 4, got '5'$/);
  });

  it('parses finite numbers with an optional lower bound', () => {
    assert.equal(numberOption('lr', '0.001', 0), 0.001);
    assert.equal(numberOption('lr', undefined, 0), undefined);
    refuses(() => numberOption('lr', '-1', 0), /^--lr expects a number >= 0, got '-1'$/);
    refuses(() => numberOption('abits', 'x'), /^--abits expects a number, got 'x'$/);
    refuses(() => numberOption('abits', 'Infinity'), /got 'Infinity'/);
  });
});
