import assert from 'node:assert/strict';
import { runTool, runToolSync, ToolError } from '../../harness/build/runTool.ts';
import { ToolMissingError } from '../../quant/errors.ts';

const node = process.execPath;
const script = (js: string): string[] => ['-e', js];

describe('harness/build/runTool: the one tool runner', () => {
  for (const [mode, run] of [
    ['async', runTool],
    ['sync', async (...a: Parameters<typeof runToolSync>) => runToolSync(...a)],
  ] as const) {
    it(`${mode}: returns stdout and stderr; a failing exit is a ToolError carrying the output verbatim`, async () => {
      const ok = await run(node, script('process.stdout.write("out"); process.stderr.write("err")'), 'a good tool');
      assert.deepEqual(ok, { stdout: 'out', stderr: 'err' });
      await assert.rejects(run(node, script('console.error("line 1\\nline 2"); process.exit(3)'), 'a bad tool'), (e: unknown) => {
        assert.ok(e instanceof ToolError);
        assert.equal(e.message, 'a bad tool failed (exit 3):\nline 1\nline 2');
        assert.equal(e.result.code, 3);
        assert.equal(e.result.timedOut, false);
        return true;
      });
    });

    it(`${mode}: stops a tool that outruns its time limit`, async () => {
      const t0 = performance.now();
      await assert.rejects(run(node, script('console.log("started"); setTimeout(() => {}, 20000)'), 'a slow tool', { timeoutSeconds: 1 }), (e: unknown) => {
        assert.ok(e instanceof ToolError);
        assert.match(e.message, /^a slow tool ran out of its 1 s limit:\nstarted$/);
        assert.equal(e.result.timedOut, true);
        return true;
      });
      assert.ok(performance.now() - t0 < 10_000, 'the tool was killed, not waited for');
    });

    it(`${mode}: a tool that is not on PATH is a ToolMissingError naming the install command`, async () => {
      await assert.rejects(run('int8cosim-no-such-tool', [], 'a build', { install: 'sudo apt-get install -y no-such-tool' }), (e: unknown) => {
        assert.ok(e instanceof ToolMissingError);
        assert.equal(e.message, 'a build: int8cosim-no-such-tool is not installed (not on PATH); install it with: sudo apt-get install -y no-such-tool');
        return true;
      });
    });
  }

  it('runs in the given folder', async () => {
    const r = await runTool(node, script('process.stdout.write(process.cwd())'), 'pwd', { cwd: '/tmp' });
    assert.equal(r.stdout, '/tmp');
  });
});
