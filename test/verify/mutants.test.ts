/**
 * The mutation catalogue is sound (each mutant is one precise edit of rtl/, at least 20 are not equivalent and the
 * equivalent ones say why), and the kill-suite has teeth: representative mutants that only particular stimulus can
 * reach are killed (read-during-write forwarding needs the raw streams; an ignored valid bit is invisible at the
 * ports and needs the deep comparison). `make mutate` runs the whole catalogue.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MUTANTS } from '../../verify/mutate/catalogue.ts';
import { applyMutant, checkMutant } from '../../verify/mutate/apply.ts';
import { runMutation } from '../../verify/mutate/run.ts';

const RTL = resolve('rtl');

describe('verify mutation testing', function () {
  this.timeout(600_000); // two cold mutant builds; cached afterwards (make mutate builds the same ones)

  it('the catalogue: unique names, one exact edit each, >= 20 non-equivalent mutants, reasons for the equivalent ones', () => {
    assert.equal(new Set(MUTANTS.map((m) => m.name)).size, MUTANTS.length);
    for (const m of MUTANTS) checkMutant(m, RTL);
    assert.ok(MUTANTS.filter((m) => m.equivalent === undefined).length >= 20);
    for (const m of MUTANTS.filter((x) => x.equivalent !== undefined)) assert.ok((m.equivalent ?? '').length > 40, `${m.name} says why it is equivalent`);
    for (const m of MUTANTS.filter((x) => x.portInvisible !== undefined)) {
      assert.ok((m.portInvisible ?? '').length > 40, `${m.name} says why no port shows it`);
      assert.equal(m.equivalent, undefined, `${m.name}: port-invisible and equivalent exclude each other (deep mode sees it)`);
    }
    assert.ok(MUTANTS.some((m) => m.name === 'pe-valid-ignored' && m.portInvisible !== undefined), 'the known port-mode survivor is explained');
    assert.ok(new Set(MUTANTS.map((m) => m.file)).size >= 7, 'mutants in (nearly) every RTL file');
  });

  it('applies a mutant to a copy only: rtl/ is untouched and the copy differs by exactly the edit', () => {
    const m = MUTANTS.find((x) => x.name === 'acc-first-swapped')!;
    const before = readFileSync(join(RTL, m.file), 'utf8');
    const a = applyMutant(m, RTL, resolve('out', 'mutate-test'));
    assert.equal(readFileSync(join(RTL, m.file), 'utf8'), before);
    assert.ok(existsSync(a.configPath));
    assert.equal(readFileSync(join(a.dir, m.file), 'utf8'), before.replace(m.search, m.replace));
    assert.match(a.diff, /^--- rtl\/systolic_acc\.sv\n\+\+\+ mutant\/systolic_acc\.sv\n@@ line \d+ @@\n-.*first_i \? psum_i.*\n\+.*first_i \? old/);
  });

  it('kills the forwarding and the valid-bit mutants (raw streams and deep comparison at work)', async () => {
    const names = ['acc-no-forwarding', 'pe-valid-ignored'];
    const r = await runMutation({ mutants: MUTANTS.filter((m) => names.includes(m.name)), cases: 200, modes: ['deep'] }); // out/mutate/, shared with make mutate's cache
    for (const m of r.mutants) console.log(`      ${m.name}: ${m.verdicts.deep?.verdict} by ${m.verdicts.deep?.killedBy}`);
    assert.deepEqual(r.mutants.map((m) => m.verdicts.deep?.verdict), ['killed', 'killed']);
    assert.equal(r.scores.deep?.score, 1);
    assert.equal(r.scores.port, undefined, 'deep mode only was asked for');
    assert.match(r.mutants.find((m) => m.name === 'pe-valid-ignored')?.verdicts.deep?.killedBy ?? '', /psum_q/, 'killed by a PE register, not a port');
  });
});
