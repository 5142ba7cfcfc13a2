/**
 * Realistic RTL bugs outside the mutation catalogue (verify/mutate/catalogue.ts), each caught by the
 * corner tier in port mode on one configuration (3x5, AccDepth 8): bugs that only the corners reach, which the
 * random mix met in a handful of cases and a trained network never (issue 12, deliverable 7). Each mutant is
 * applied to a copy of rtl/ under out/corner-mutants/<name>/rtl/ (a fixed path, so that the Verilator cache keeps
 * its build from run to run; rtl/ is never touched). The unmutated RTL passes the same tier in both modes.
 * `make test` runs the five kinds of bug issue 12 names; INT8COSIM_CORNER_MUTANTS=all adds two more (two builds).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ArrayConfig } from '../../hw-sim/index.ts';
import { ROUNDING_MODES, type RoundingMode } from '../../quant/spec/index.ts';
import { loadRtlConfig } from '../../harness/config/rtlConfig.ts';
import { cornerSchedule } from '../../verify/case-gen.ts';
import { runCornerTier } from '../../verify/corner-tier.ts';
import { MUTANTS } from '../../verify/mutate/catalogue.ts';

interface Edit {
  file: string;
  search: string;
  replace: string;
}

interface CornerMutant {
  name: string;
  description: string;
  /**
   * The rounding modes of the build it is judged on: every mode, or the one whose datapath it breaks (so that every
   * program of the tier runs through that datapath and every case of its corner can catch it).
   */
  modes: readonly RoundingMode[];
  edits: Edit[];
  /** The corners that catch it: every case of the first kind, at least one case of the others. */
  caughtBy: string[];
  /** Run by `make test` (the five kinds of bug issue 12 names); the others with INT8COSIM_CORNER_MUTANTS=all. */
  suite: boolean;
}

const CORNER_MUTANTS: readonly CornerMutant[] = [
  {
    name: 'pe-w1-reset-missing',
    description: 'weight bank 1 has no reset: it keeps whatever it held (the previous case, or random at power-up)',
    modes: ROUNDING_MODES,
    edits: [{ file: 'systolic_pe.sv', search: "      w1_q   <= '0;\n", replace: '' }],
    caughtBy: ['reset-state'],
    suite: true,
  },
  {
    name: 'ctrl-m0-reset-missing',
    description: "the requantization multipliers have no reset: a column whose parameters were never written scales by a stale m0",
    modes: ROUNDING_MODES,
    edits: [{ file: 'systolic_ctrl.sv', search: "      m0_q    <= '0;\n", replace: '' }],
    caughtBy: ['reset-state'],
    suite: false,
  },
  {
    name: 'rq-clamp-max-first',
    description: 'the clamp compares max before min: with min > max, values between max and min give max instead of min',
    modes: ROUNDING_MODES,
    edits: [{
      file: 'systolic_requant_round.sv',
      search: "      q_o = (with_zp < 34'(min_i)) ? min_i\n             : (with_zp > 34'(max_i)) ? max_i\n",
      replace: "      q_o = (with_zp > 34'(max_i)) ? max_i\n             : (with_zp < 34'(min_i)) ? min_i\n",
    }],
    caughtBy: ['clamp-min-above-max'],
    suite: true,
  },
  {
    name: 'acc-forward-without-enable',
    description: 'read-during-write forwarding armed by an idle slot too: an idle a_first before a non-first beat to its address forwards 0',
    modes: ROUNDING_MODES,
    edits: [{ file: 'systolic_acc.sv', search: 'assign fwd_d       = en_i && (addr_i == rd_addr_i);', replace: 'assign fwd_d       = (addr_i == rd_addr_i);' }],
    caughtBy: ['idle-first', 'raw-forwarding'],
    suite: true,
  },
  {
    name: 'pe-product-15-bit',
    description: 'the int8 x int8 product is held in 15 bits ("it fits"): -128 x -128 = 2^14 wraps to -2^14',
    modes: ROUNDING_MODES,
    edits: [{ file: 'systolic_pe.sv', search: "assign product = 32'(a_i) * 32'(weight);", replace: "assign product = 32'(15'(32'(a_i) * 32'(weight)));" }],
    caughtBy: ['int8-extremes'],
    suite: true,
  },
  {
    name: 'rq-single-left-shift-ignored',
    description: 'single rounding treats a positive (left) shift as 0, as if every multiplier were below 1',
    modes: ['single'],
    edits: [{ file: 'systolic_requant_round.sv', search: "shr     = 7'(8'sd30 - shift_i);", replace: "shr     = 7'(8'sd30 - (shift_i[7] ? shift_i : 8'sd0));" }],
    caughtBy: ['shift-left', 'tie-single-left'],
    suite: true,
  },
  {
    name: 'rq-double-left-shift-after-srdhm',
    description: 'double rounding applies the left shift after the high multiply instead of before it (loses its low bits)',
    modes: ['double'],
    edits: [
      { file: 'systolic_requant_mul.sv', search: 'xl    = x <<< left;', replace: 'xl    = x;' },
      {
        file: 'systolic_requant_round.sv',
        search: "y_high_mul = (srdhm >>> right) + $signed({31'd0, remainder > threshold});",
        replace: "y_high_mul = ((srdhm >>> right) + $signed({31'd0, remainder > threshold})) <<< ((shift_i > 8'sd0) ? 5'(shift_i) : 5'd0);",
      },
    ],
    caughtBy: ['shift-left', 'tie-srdhm'],
    suite: false,
  },
];

const RTL = resolve('rtl');
const OUT = resolve('out', 'corner-mutants');
const cfg = (modes: readonly RoundingMode[]): ArrayConfig => ({ rows: 3, cols: 5, accDepth: 8, roundingModes: modes });

/** A copy of rtl/ with the mutant's edits, each of whose search texts occurs exactly once; returns its cosim.json. */
function applyEdits(m: CornerMutant): string {
  const dir = join(OUT, m.name, 'rtl');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(RTL)) cpSync(join(RTL, f), join(dir, f), { recursive: true });
  for (const e of m.edits) {
    const text = readFileSync(join(dir, e.file), 'utf8');
    assert.equal(text.split(e.search).length - 1, 1, `${m.name}: the search text must occur once in ${e.file}: ${e.search}`);
    writeFileSync(join(dir, e.file), text.replace(e.search, e.replace));
  }
  return join(dir, 'cosim.json');
}

describe('verify corner tier catches bugs outside the catalogue (port mode, 3x5 D8)', function () {
  this.timeout(900_000); // five cold mutant builds, 20-30 s each on an idle machine (cached afterwards under their fixed paths)

  it('the mutants are new: none is an edit of the catalogue', () => {
    for (const m of CORNER_MUTANTS) {
      for (const e of m.edits) {
        assert.ok(!MUTANTS.some((x) => x.file === e.file && x.search === e.search && x.replace === e.replace), `${m.name} repeats a catalogue mutant`);
      }
    }
  });

  const all = process.env.INT8COSIM_CORNER_MUTANTS === 'all';
  const chosen = CORNER_MUTANTS.filter((x) => x.suite || all);
  for (const modes of new Map(chosen.map((m) => [m.modes.join(','), m.modes])).values()) {
    it(`the unmutated RTL passes the corner tier (rounding ${modes.join(', ')})`, async () => {
      const r = await runCornerTier({ rtl: { config: loadRtlConfig() }, cfg: cfg(modes) });
      assert.equal(r.failed, 0, r.failures.map((f) => `seed ${f.seed} (${f.kind}): ${f.message}`).join('\n'));
    });
  }

  for (const m of chosen) {
    it(`${m.name}: ${m.description}`, async () => {
      const r = await runCornerTier({ rtl: { config: loadRtlConfig(applyEdits(m)) }, cfg: cfg(m.modes) });
      const by: Record<string, number> = {};
      for (const f of r.failures) by[f.kind] = (by[f.kind] ?? 0) + 1;
      const first = r.failures[0];
      console.log(`      caught by ${r.failed} of ${r.cases} cases ${JSON.stringify(by)}; first: seed ${first?.seed} (${first?.kind}): ${first?.message}`);
      assert.ok(r.failed > 0, `${m.name} survives the corner tier`);
      const [primary, ...others] = m.caughtBy;
      const ofKind = r.cases / cornerSchedule(cfg(m.modes)).length; // cornerSeeds: the schedule whole, again and again
      assert.equal(by[primary as string], ofKind, `${m.name}: every ${primary} case catches it (${JSON.stringify(by)})`);
      for (const k of others) assert.ok((by[k] ?? 0) > 0, `${m.name}: no ${k} case catches it (${JSON.stringify(by)})`);
    });
  }
});
