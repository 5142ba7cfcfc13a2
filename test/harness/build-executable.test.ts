import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildVerilatedExecutable } from '../../harness/build/buildExecutable.ts';
import { runToolSync, ToolError } from '../../harness/build/runTool.ts';

describe('harness/build/buildExecutable: the Verilator builder of testbench executables', function () {
  this.timeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'int8cosim-exe-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const src = join(dir, 'hello_tb.sv');
  const request = (p: number) => ({
    args: ['--binary', '-Wall', '--top-module', 'hello_tb', `-GP=${p}`, src],
    inputs: [src],
    name: 'vl-hello_tb',
    cacheDir: join(dir, 'cache'),
    what: 'the hello testbench',
  });

  it('builds once, runs, and finds the build again by flags and contents', () => {
    writeFileSync(src, 'module hello_tb #(parameter int P = 0); initial begin $display("hello %0d", P); $finish; end endmodule\n');
    const a = buildVerilatedExecutable(request(7));
    assert.equal(a.cached, false);
    assert.match(runToolSync(a.exe, [], 'hello').stdout, /hello 7/);
    const again = buildVerilatedExecutable(request(7));
    assert.deepEqual([again.cached, again.exe], [true, a.exe]);
    const other = buildVerilatedExecutable(request(8)); // another parameter: another entry
    assert.equal(other.cached, false);
    assert.notEqual(other.exe, a.exe);
    assert.match(runToolSync(other.exe, [], 'hello').stdout, /hello 8/);
  });

  it("stops on Verilator's error with its message verbatim, and leaves no cache entry", () => {
    writeFileSync(src, 'module hello_tb; initial begin no_such_task(); end endmodule\n');
    assert.throws(() => buildVerilatedExecutable(request(7)), (e: unknown) => e instanceof ToolError && /^the hello testbench failed \(exit \d+\):\n[\s\S]*no_such_task/.test(e.message));
    assert.throws(() => buildVerilatedExecutable(request(7)), ToolError, 'a failed build is not cached');
  });
});
