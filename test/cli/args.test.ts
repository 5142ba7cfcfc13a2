import assert from 'node:assert/strict';
import { COMMANDS } from '../../cli/main.ts';
import { parseCommandArgs } from '../../cli/args.ts';

/** Runs f with console.log captured. */
async function captured(f: () => Promise<void>): Promise<string> {
  const log = console.log;
  const lines: string[] = [];
  console.log = (...a: unknown[]) => void lines.push(a.join(' '));
  try {
    await f();
  } finally {
    console.log = log;
  }
  return lines.join('\n');
}

describe('cli: option parsing of every command', () => {
  for (const name of Object.keys(COMMANDS)) {
    it(`${name}: an unknown option is one UsageError naming the command's --help; --help prints the usage and runs nothing`, async () => {
      const { run } = await (COMMANDS[name] as (typeof COMMANDS)[string]).load();
      await assert.rejects(run(['--frobnicate']), (e: Error) => {
        // by name: the command modules come through main.ts's dynamic import(), a second instance of quant/errors.ts
        assert.equal(e.name, 'UsageError', `${name}: ${e.name}: ${e.message}`);
        assert.match(e.message, new RegExp(`Unknown option '--frobnicate'.*\\(int8cosim ${name} --help lists the options\\)`, 's'));
        return true;
      });
      const text = await captured(() => run(['--help']));
      assert.match(text, new RegExp(`^usage: int8cosim ${name}`), `${name} --help`);
    });
  }

  it('parseCommandArgs returns the values, undefined after --help, and turns a missing value into a UsageError', async () => {
    const options = { n: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;
    assert.equal(parseCommandArgs('x', 'usage: x', { args: ['--n', '3'], options, strict: true })?.values.n, '3');
    assert.equal(await captured(async () => assert.equal(parseCommandArgs('x', 'usage: x', { args: ['-h'], options, strict: true }), undefined)), 'usage: x');
    assert.throws(() => parseCommandArgs('x', 'usage: x', { args: ['--n'], options, strict: true }), /argument missing.*\(int8cosim x --help lists the options\)/s);
  });
});
