/**
 * harness/build/ports checkPorts: every problem of a top's port list in one error, even when a port that carries
 * the geometry (a_data_i, w_data_i, a_addr_i) is missing; the real non-conforming RTL is in test/examples/.
 */
import assert from 'node:assert/strict';
import { checkPorts, type PortDecl } from '../../harness/build/ports.ts';
import { BuildError } from '../../quant/errors.ts';

/** The contract's ports for rows x cols with addrBits, minus `drop`, with `widths` overriding some widths. */
function ports(rows: number, cols: number, addrBits: number, drop: string[] = [], widths: Record<string, number> = {}): PortDecl[] {
  const w: Record<string, number> = {
    clk_i: 1, rst_ni: 1, w_en_i: 1, w_bank_i: 1, w_row_i: Math.ceil(Math.log2(rows)), w_data_i: 8 * cols, a_en_i: 1, a_bank_i: 1, a_first_i: 1,
    a_last_i: 1, a_addr_i: addrBits, a_data_i: 8 * rows, p_en_i: 1, p_col_i: Math.ceil(Math.log2(cols)), p_bias_i: 32, p_m0_i: 32, p_shift_i: 8,
    c_en_i: 1, c_zp_i: 8, c_min_i: 8, c_max_i: 8, c_round_i: 2, o_valid_o: 1, o_addr_o: addrBits, o_data_o: 8 * cols, o_acc_o: 32 * cols,
  };
  return Object.entries({ ...w, ...widths })
    .filter(([n]) => !drop.includes(n))
    .map(([name, width]) => ({ name, dir: name.endsWith('_o') ? 'out' : 'in', width }));
}

function problems(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof BuildError, String(e));
    const lines = e.message.split('\n');
    assert.match(lines[0] as string, /^top module 't' does not match the port contract of docs\/ARCHITECTURE.md section 3 \(\d+ problems?\):$/);
    assert.match(lines.at(-1) as string, /^ {2}\(its ports: /);
    return lines.slice(1, -1).map((l) => l.trim());
  }
  assert.fail('checkPorts accepted a non-conforming port list');
}

describe('harness/build/ports: checkPorts', () => {
  it('a conforming list gives the geometry', () => {
    const g = checkPorts('t', ports(3, 5, 3), { Rows: 3, Cols: 5, AccDepth: 8 });
    assert.deepEqual([g.rows, g.cols, g.accDepth, g.inWords, g.outWords], [3, 5, 8, 26, 12]);
  });

  it('with all three geometry ports missing, takes the geometry from the outputs and lists every other problem too', () => {
    const got = problems(() => checkPorts('t', ports(4, 6, 5, ['a_data_i', 'w_data_i', 'a_addr_i'], { p_m0_i: 31, c_zp_i: 9 }), { Rows: 4 }));
    assert.deepEqual(got, [
      'missing input w_data_i [8*Cols = 48 bits]',
      'missing input a_addr_i [clog2(AccDepth) = 5 bits]',
      'missing input a_data_i [8*Rows = 32 bits]',
      'p_m0_i is 31 bits, expected 32',
      'c_zp_i is 9 bits, expected 8',
    ]);
  });

  it('without the ports or the parameters, checks what it can and says what it cannot tell', () => {
    const got = problems(() => checkPorts('t', ports(4, 6, 5, ['a_data_i', 'w_data_i', 'o_data_o', 'o_acc_o'], { w_row_i: 3 }), {}));
    assert.deepEqual(got, [
      'missing input w_data_i [8*Cols bits]',
      'missing input a_data_i [8*Rows bits]',
      'missing output o_data_o [8*Cols bits]',
      'missing output o_acc_o [32*Cols bits]',
      'cannot tell Rows: no port carries it and the build gives no parameter',
      'cannot tell Cols: no port carries it and the build gives no parameter',
    ]);
  });

  it('a data port that is not whole bytes, a wrong direction, an extra input and a parameter disagreement, all at once', () => {
    const list = ports(4, 4, 4, [], { a_data_i: 30 }).map((p) => (p.name === 'o_valid_o' ? { ...p, dir: 'in' as const } : p));
    list.push({ name: 'scan_en_i', dir: 'in', width: 1 });
    const got = problems(() => checkPorts('t', list, { Rows: 4, Cols: 5, AccDepth: 16 }));
    assert.deepEqual(got, [
      'a_data_i is 30 bits, not a multiple of 8',
      'a_data_i is 30 bits, expected 8*Rows = 32',
      'o_valid_o is an input, expected an output',
      'extra input(s) scan_en_i that the harness cannot drive',
      'parameter Cols = 5 but the ports say 4 (w_data_i)',
    ]);
  });
});
