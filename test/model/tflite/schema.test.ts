/**
 * model/tflite/schema/: the committed TypeScript is exactly what tools/gen-tflite-schema.sh (flatc 2.0.8) writes
 * from the committed schema.fbs, whose sha256 is the one its README gives.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import * as S from '../../../model/tflite/schema/schema_generated.ts';
import { OPTION_FIELDS } from '../../../model/tflite/schema/option-fields.ts';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const SCHEMA_DIR = join(ROOT, 'model', 'tflite', 'schema');

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

describe('model/tflite/schema: generated from schema.fbs', () => {
  it('schema.fbs has the sha256 its README names', () => {
    const sha = createHash('sha256').update(readFileSync(join(SCHEMA_DIR, 'schema.fbs'))).digest('hex');
    assert.match(readFileSync(join(SCHEMA_DIR, 'README.md'), 'utf8'), new RegExp(`sha256 \\| \`${sha}\``));
  });

  it('the committed code is what tools/gen-tflite-schema.sh writes', function () {
    this.timeout(30_000);
    const v = spawnSync('flatc', ['--version'], { encoding: 'utf8' });
    if (v.stdout?.trim() !== 'flatc version 2.0.8') {
      // bin/ensure-system-packages test installs flatbuffers-compiler; another flatc writes other code.
      console.log(`      (skipped: needs flatc 2.0.8, found ${v.error ? 'none' : v.stdout.trim()})`);
      this.skip();
    }
    const out = mkdtempSync(join(tmpdir(), 'int8cosim-tflite-schema-'));
    try {
      const r = spawnSync('bash', [join(ROOT, 'tools', 'gen-tflite-schema.sh'), out], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const made = tsFiles(out);
      const committed = tsFiles(SCHEMA_DIR);
      assert.ok(made.length > 150, `only ${made.length} files generated`);
      assert.deepEqual(committed, made);
      for (const f of made) {
        assert.ok(readFileSync(join(out, f)).equals(readFileSync(join(SCHEMA_DIR, f))), `${f} differs from the script's output`);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('option-fields.ts lists every options table of both unions, each field with flatc\'s accessor and add method', () => {
    const schema = S as unknown as Record<string, Record<string, unknown>>;
    const members = [schema.BuiltinOptions!, schema.BuiltinOptions2!].flatMap((u) => Object.keys(u).filter((k) => Number.isNaN(Number(k)) && k !== 'NONE'));
    assert.ok(members.length > 140, `${members.length} union members`);
    assert.deepEqual([...members].sort(), Object.keys(OPTION_FIELDS).sort());
    const upper = (n: string): string => n.charAt(0).toUpperCase() + n.slice(1);
    for (const [table, fields] of Object.entries(OPTION_FIELDS)) {
      const cls = schema[table] as unknown as { prototype: Record<string, unknown> } & Record<string, unknown>;
      assert.equal(typeof cls[`start${table}`], 'function', table);
      for (const f of fields) {
        assert.equal(typeof cls.prototype[f.name], 'function', `${table}.${f.name}()`);
        assert.equal(typeof cls[`add${upper(f.name)}`], 'function', `${table}.add${upper(f.name)}`);
        if (f.vector) assert.equal(typeof cls[`create${upper(f.name)}Vector`], 'function', `${table}.create${upper(f.name)}Vector`);
        if (f.kind === 'enum') assert.equal(typeof schema[f.enum!], 'object', `${table}.${f.name}: enum ${f.enum}`);
      }
    }
    assert.deepEqual(OPTION_FIELDS.Conv2DOptions!.map((f) => f.name), ['padding', 'strideW', 'strideH', 'fusedActivationFunction', 'dilationWFactor', 'dilationHFactor', 'quantizedBiasType']);
  });
});
