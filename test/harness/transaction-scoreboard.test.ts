import assert from 'node:assert/strict';
import { ArraySim, arrayConfig, outWords, type ArrayConfig } from '../../hw-sim/index.ts';
import type { Program } from '../../hw-sim/compiler/program.ts';
import { DuplicateRowError, MissingRowError, TransactionMismatch, UnexpectedRowError } from '../../harness/transaction/errors.ts';
import { observeRows, outputRows, type ObservedRow } from '../../harness/transaction/rows.ts';
import { TransactionScoreboard } from '../../harness/transaction/scoreboard.ts';
import { LifecycleError } from '../../quant/errors.ts';
import { Rng } from '../../quant/random.ts';
import { randomProgram } from './helpers.ts';

/** hw-sim's own output rows of p, sampled as the lockstep samples the RTL's (every o_valid_o cycle of ArraySim.run). */
function hwSimRows(p: Program): ObservedRow[] {
  const sim = new ArraySim(p.cfg);
  sim.reset();
  const out = new Int32Array(p.nCycles * outWords(p.cfg));
  sim.run(p.nCycles, p.beats, out);
  return outputRows(out, p.cfg.cols);
}

/** The rows later by 1..5 cycles, with random gaps between them (cycles stay in order). */
function delayed(rows: ObservedRow[], rng: Rng): ObservedRow[] {
  let shift = rng.int(1, 5);
  return rows.map((r) => {
    if (rng.next() < 0.3) shift += rng.int(1, 4);
    return { ...r, cycle: r.cycle + shift };
  });
}

/** Within each output tile (its rows consecutive), windows of up to 3 rows reversed: addresses out of order, cycles kept. */
function reorderedWithinTiles(rows: ObservedRow[], board: TransactionScoreboard, rng: Rng): ObservedRow[] {
  const out = rows.map((r) => ({ ...r }));
  let i = 0;
  for (const t of board.tiles) {
    for (let a = 0; a < t.rows; ) {
      const w = Math.min(rng.int(1, 3), t.rows - a);
      const content = out.slice(i + a, i + a + w).map((r) => ({ addr: r.addr, data: r.data, acc: r.acc })).reverse();
      content.forEach((c, j) => Object.assign(out[i + a + j] as ObservedRow, c));
      a += w;
    }
    i += t.rows;
  }
  return out;
}

const ARRAYS: Array<[string, ArrayConfig, [number, number, number]]> = [
  ['2x2, AccDepth 4', arrayConfig({ rows: 2, cols: 2, accDepth: 4 }), [11, 5, 3]],
  ['3x5, AccDepth 8', arrayConfig({ rows: 3, cols: 5, accDepth: 8 }), [19, 7, 11]],
  ['4x4, AccDepth 16', arrayConfig({ rows: 4, cols: 4, accDepth: 16 }), [37, 9, 9]],
  ['8x8, AccDepth 32', arrayConfig({ rows: 8, cols: 8, accDepth: 32 }), [70, 20, 17]],
];

describe('harness/transaction: the transaction scoreboard on hw-sim programs', () => {
  for (const [name, cfg, [m, k, n]] of ARRAYS) {
    describe(`${name}, GEMM ${m}x${k}x${n} (several passes, N-tiles and K-tiles)`, () => {
      const seed = 1500 + cfg.rows * 37 + cfg.cols;
      const p = randomProgram(cfg, new Rng(seed), m, k, n, 'g');
      const rows = hwSimRows(p);
      const L = p.plan.latency;

      it("takes hw-sim's own rows at hw-sim's timing: latency R + C + 1, hw-sim's throughput", () => {
        assert.equal(rows.length, p.outputRows);
        const board = new TransactionScoreboard(p);
        assert.ok(board.tiles.length > 2, `seed ${seed}: want several output tiles`);
        assert.equal(board.outstanding(), p.outputRows);
        assert.equal(observeRows(board, rows), undefined);
        assert.equal(board.outstanding(), 0);
        assert.equal(board.finish(p.nCycles), undefined);
        const s = board.stats();
        assert.deepEqual(s.latency, { min: L, max: L, mean: L });
        assert.equal(s.cycles, p.nCycles);
        assert.equal(s.rowsPerCycle, s.reference.rowsPerCycle);
        assert.equal(s.reference.latency, cfg.rows + cfg.cols + 1);
      });

      it('takes them 1..5 cycles late with random gaps, and out of order within each output tile', () => {
        for (let trial = 0; trial < 20; trial++) {
          const rng = new Rng(seed * 100 + trial);
          const board = new TransactionScoreboard(p, { start: 1000, context: `trial ${trial}` });
          const late = delayed(rows, rng).map((r) => ({ ...r, cycle: r.cycle + 1000 }));
          const got = trial % 2 === 0 ? late : reorderedWithinTiles(late, board, rng);
          const err = observeRows(board, got);
          assert.equal(err, undefined, `seed ${seed * 100 + trial}: ${err?.message}`);
          const last = (got[got.length - 1] as ObservedRow).cycle;
          assert.equal(board.finish(last + 1), undefined);
          const s = board.stats();
          assert.equal(s.seen, p.outputRows);
          assert.ok(s.latency !== undefined && s.latency.max >= L + 1 && (trial % 2 === 1 || s.latency.min >= L + 1), JSON.stringify(s.latency));
          assert.equal(s.cycles, last - 1000 + 1);
          assert.ok((s.rowsPerCycle as number) < s.reference.rowsPerCycle);
        }
      });

      it('measures latency from the cycle each beat was taken when the driver held beats (acceptBeat)', () => {
        // the RTL stalled: every beat from the middle of the program on was taken 7 cycles late, its row 2 cycles later still
        const board = new TransactionScoreboard(p);
        const hold = Math.floor(p.nCycles / 2);
        for (let t = hold; t < p.nCycles; t++) board.acceptBeat(t, t + 7);
        const got = rows.map((r) => (r.cycle - L >= hold ? { ...r, cycle: r.cycle + 9 } : r));
        assert.equal(observeRows(board, got), undefined);
        const s = board.stats();
        assert.equal(s.latency?.min, L);
        assert.equal(s.latency?.max, L + 2);
      });

      it('names a wrong byte: row, column, both values, the cycle and the latency', () => {
        const rng = new Rng(seed + 1);
        const got = delayed(rows, rng);
        const i = rng.int(0, got.length - 1);
        const r = got[i] as ObservedRow;
        const c = rng.int(0, cfg.cols - 1);
        const want = r.data[c] as number;
        const bad = { ...r, data: Int8Array.from(r.data) };
        bad.data[c] = want === 127 ? -128 : want + 1;
        got[i] = bad;
        const board = new TransactionScoreboard(p, { context: 'image 3' });
        const err = observeRows(board, got);
        assert.ok(err instanceof TransactionMismatch, `seed ${seed + 1}: ${err?.message}`);
        const t = findTile(board, i);
        assert.equal(err.port, 'o_data_o');
        assert.equal(err.column, c);
        assert.equal(err.expected, want);
        assert.equal(err.actual, bad.data[c]);
        assert.equal(err.cycle, r.cycle);
        assert.equal(err.place.addr, r.addr);
        assert.equal(err.place.tile, t.name);
        assert.equal(err.place.m, t.mBase + r.addr);
        assert.equal(err.beatCycle, (t.tile?.streamCycle ?? NaN) + r.addr);
        assert.equal(err.latency, r.cycle - err.beatCycle);
        assert.ok(err.latency >= L + 1 && err.latency <= L + 5 + 4 * got.length);
        assert.equal(err.also.length, 0);
        for (const part of ['layer g (image 3)', `tile ${t.name}`, `address ${r.addr}`, `column ${c} (o_data_o[${c}])`, `hw-sim ${want}, RTL ${bad.data[c]}`, `cycle ${r.cycle}`, `latency ${err.latency}`]) {
          assert.ok(err.message.includes(part), `'${part}' not in: ${err.message}`);
        }
      });

      it('names a wrong o_acc_o word before the o_data_o it spoils', () => {
        const got = rows.slice();
        const i = Math.floor(rows.length / 2);
        const r = got[i] as ObservedRow;
        got[i] = { ...r, acc: Int32Array.from(r.acc, (v, c) => (c === 1 ? v + 1000 : v)), data: Int8Array.from(r.data, (v, c) => (c === 1 ? (v === 0 ? 1 : 0) : v)) };
        const err = observeRows(new TransactionScoreboard(p), got);
        assert.ok(err instanceof TransactionMismatch);
        assert.equal(err.port, 'o_acc_o');
        assert.equal(err.column, 1);
        assert.equal(err.expected, r.acc[1]);
        assert.deepEqual(err.also, ['o_data_o[1]']);
        assert.equal(err.latency, L);
      });

      it('names a row dropped: when the next output tile begins, and at finish with the rows outstanding', () => {
        const board0 = new TransactionScoreboard(p);
        const t0 = board0.tiles[0];
        assert.ok(t0 !== undefined);
        const drop = Math.min(2, t0.rows - 1); // a row of the first output tile
        const got = rows.filter((_, j) => j !== drop);
        const err = observeRows(board0, got);
        assert.ok(err instanceof MissingRowError, err?.message);
        assert.equal(err.when, 'next-tile');
        assert.equal(err.place.addr, (rows[drop] as ObservedRow).addr);
        assert.equal(err.place.tile, t0.name);
        assert.equal(err.outstanding, 1);
        assert.equal(err.cycle, (rows[t0.rows] as ObservedRow).cycle); // the next tile's first row
        assert.equal(err.beatCycle, (t0.tile?.streamCycle ?? NaN) + drop);
        assert.ok(err.message.includes(`address ${drop}`) && err.message.includes(`tile ${t0.name}`), err.message);
        // the rest of the program is still matched
        assert.equal(observeRows(board0, got.slice(t0.rows)), undefined);
        assert.equal(board0.outstanding(), 0);

        // the last three rows never come: a timeout names them
        const board = new TransactionScoreboard(p, { start: 50 });
        assert.equal(observeRows(board, rows.slice(0, -3).map((r) => ({ ...r, cycle: r.cycle + 50 }))), undefined);
        assert.equal(board.outstanding(), 3);
        const end = p.nCycles + 50 + 100;
        const miss = board.finish(end);
        assert.ok(miss instanceof MissingRowError);
        const lastTile = board.tiles[board.tiles.length - 1] as (typeof board.tiles)[number];
        assert.equal(miss.when, 'finish');
        assert.equal(miss.outstanding, 3);
        assert.equal(miss.place.addr, lastTile.rows - 3);
        assert.equal(miss.place.m, lastTile.mBase + lastTile.rows - 3);
        assert.ok(miss.message.startsWith(`3 rows outstanding after ${end - 50} cycles`), miss.message);
        assert.throws(() => board.observe(end + 1, 0, new Int8Array(cfg.cols), new Int32Array(cfg.cols)), LifecycleError);
      });

      it("takes a row of the next output tile before the current one is complete as the current tile's missing row", () => {
        const board = new TransactionScoreboard(p);
        const t0 = board.tiles[0] as (typeof board.tiles)[number];
        const a = t0.rows - 1;
        const got = rows.map((r) => ({ ...r }));
        const [x, y] = [got[a] as ObservedRow, got[a + 1] as ObservedRow];
        [x.addr, y.addr, x.data, y.data, x.acc, y.acc] = [y.addr, x.addr, y.data, x.data, y.acc, x.acc];
        const err = observeRows(board, got);
        assert.ok(err instanceof MissingRowError, err?.message);
        assert.equal(err.when, 'next-tile');
        assert.equal(err.place.tile, t0.name);
        assert.equal(err.place.addr, a);
        assert.equal(err.cycle, x.cycle);
      });

      it('names a row duplicated, within a tile and after its tile was complete', () => {
        for (const i of [1, (new TransactionScoreboard(p).tiles[0]?.rows ?? 0) - 1]) {
          const r = rows[i] as ObservedRow;
          const got = [...rows.slice(0, i + 1), { ...r, cycle: r.cycle + 1 }, ...rows.slice(i + 1).map((x) => ({ ...x, cycle: x.cycle + 1 }))];
          const err = observeRows(new TransactionScoreboard(p), got);
          assert.ok(err instanceof DuplicateRowError, `row ${i}: ${err?.message}`);
          assert.equal(err.place.addr, r.addr);
          assert.equal(err.cycle, r.cycle + 1);
          assert.equal(err.firstCycle, r.cycle);
          assert.equal(err.hwSimValues, true);
          assert.ok(err.message.includes(`address ${r.addr}`) && err.message.includes(`first in cycle ${r.cycle}`), err.message);
        }
      });

      it('names a wrong address: the row it carries, and an address its tile does not have', () => {
        const t0 = new TransactionScoreboard(p).tiles[0];
        assert.ok(t0 !== undefined && t0.rows >= 3);
        // row 0 comes out at address 2 (not seen yet): a mismatch at address 2 whose values are row 0's
        const got = rows.map((r, j) => (j === 0 ? { ...r, addr: 2 } : r));
        const err = observeRows(new TransactionScoreboard(p), got);
        assert.ok(err instanceof TransactionMismatch, err?.message);
        assert.equal(err.place.addr, 2);
        assert.equal(err.sameAsAddr, 0);
        assert.equal(err.cycle, (rows[0] as ObservedRow).cycle);
        assert.ok(err.message.includes('those expected at address 0'), err.message);
        // an address past the tile's rows
        const out = rows.map((r, j) => (j === 1 ? { ...r, addr: t0.rows } : r));
        const u = observeRows(new TransactionScoreboard(p), out);
        assert.ok(u instanceof UnexpectedRowError, u?.message);
        assert.equal(u.place.addr, t0.rows);
        assert.equal(u.rows, t0.rows);
        assert.equal(u.sameAsAddr, 1);
        assert.equal(u.cycle, (rows[1] as ObservedRow).cycle);
        // a row after the program's last one
        const board = new TransactionScoreboard(p);
        observeRows(board, rows);
        const after = board.observe(p.nCycles + 3, 0, new Int8Array(cfg.cols), new Int32Array(cfg.cols));
        assert.ok(after instanceof UnexpectedRowError && after.rows === 0, after?.message);
      });
    });
  }

  it('refuses rows out of cycle order and rows of the wrong width', () => {
    const cfg = arrayConfig({ rows: 2, cols: 3, accDepth: 4 });
    const p = randomProgram(cfg, new Rng(7), 5, 3, 4);
    const board = new TransactionScoreboard(p);
    const r = hwSimRows(p)[0] as ObservedRow;
    assert.equal(board.observe(r.cycle, r.addr, r.data, r.acc), undefined);
    assert.throws(() => board.observe(r.cycle, r.addr, r.data, r.acc), LifecycleError);
    assert.throws(() => board.observe(r.cycle + 1, 1, new Int8Array(2), r.acc), /expected 3 o_data_o/);
  });
});

function findTile(board: TransactionScoreboard, rowIndex: number): TransactionScoreboard['tiles'][number] {
  let i = rowIndex;
  for (const t of board.tiles) {
    if (i < t.rows) return t;
    i -= t.rows;
  }
  throw new Error(`row ${rowIndex} is past the program`);
}
