/**
 * model/tflite/third_party/tflite-schema/: the committed TypeScript is what tools/gen-tflite-schema.sh (flatc 2.0.8)
 * writes from TFLite's schema.fbs at the pinned commit. Always: every committed file has the sha256 of the
 * SHA256SUMS manifest the script writes beside it (a hand edit fails), and the README names the script's pinned
 * commit and sha256.
 * When flatc 2.0.8 and the schema ($INT8COSIM_TFLITE_SCHEMA or the script's cache; the test never downloads) are
 * here: the script's output is byte for byte the committed folder.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import * as S from '../../../model/tflite/third_party/tflite-schema/schema_generated.ts';
import { OPTION_FIELDS } from '../../../model/tflite/third_party/tflite-schema/option-fields.ts';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const SCHEMA_DIR = join(ROOT, 'model', 'tflite', 'third_party', 'tflite-schema');
const SCRIPT = join(ROOT, 'tools', 'gen-tflite-schema.sh');
/** Written by hand beside the generated files, so neither in the manifest nor in the script's output. */
const HAND_WRITTEN = ['README.md'];

/** The files below dir (relative paths, sorted), but those written by hand. */
function generatedFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.filter((f) => !HAND_WRITTEN.includes(f)).sort();
}

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A `name=value` assignment of the script. */
function scriptValue(name: string): string {
  const m = new RegExp(`^${name}=(\\S+)$`, 'm').exec(readFileSync(SCRIPT, 'utf8'));
  assert.ok(m, `${SCRIPT}: no ${name}=`);
  return m[1]!;
}

/** The schema the script would read without downloading, or why there is none. */
function localSchema(): { path: string } | { missing: string } {
  const env = process.env.INT8COSIM_TFLITE_SCHEMA;
  if (env) return { path: env };
  const cached = join(ROOT, '.cache', 'tflite-schema', scriptValue('schema_commit'), 'schema.fbs');
  return existsSync(cached) ? { path: cached } : { missing: `no schema.fbs: $INT8COSIM_TFLITE_SCHEMA unset and ${relative(ROOT, cached)} absent` };
}

const runScript = (out: string, env: NodeJS.ProcessEnv) => spawnSync('bash', [SCRIPT, out], { encoding: 'utf8', env: { ...process.env, ...env } });

describe('model/tflite/third_party/tflite-schema: generated from TFLite\'s schema.fbs', () => {
  it('every generated file has the sha256 of SHA256SUMS, and no file is missing from it or extra', () => {
    const manifest = readFileSync(join(SCHEMA_DIR, 'SHA256SUMS'), 'utf8').trimEnd().split('\n').map((line) => {
      const m = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line);
      assert.ok(m, `SHA256SUMS: bad line '${line}'`);
      return [m[2]!, m[1]!] as const;
    });
    assert.ok(manifest.length > 150, `only ${manifest.length} files in SHA256SUMS`);
    assert.deepEqual(generatedFiles(SCHEMA_DIR), [...manifest.map(([f]) => f), 'SHA256SUMS'].sort());
    for (const [f, sha] of manifest) assert.equal(sha256(join(SCHEMA_DIR, f)), sha, `${f} differs from what the script wrote (edited by hand?)`);
  });

  it('the README names the script\'s pinned repository, commit, path and sha256 of schema.fbs', () => {
    const readme = readFileSync(join(SCHEMA_DIR, 'README.md'), 'utf8');
    for (const name of ['schema_repo', 'schema_commit', 'schema_path', 'schema_sha256']) {
      assert.ok(readme.includes(scriptValue(name)), `README.md does not name ${name} ${scriptValue(name)}`);
    }
  });

  it('a schema.fbs with another sha256 is an error naming both hashes, and nothing is written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'int8cosim-tflite-schema-'));
    try {
      const wrong = join(dir, 'schema.fbs');
      writeFileSync(wrong, 'namespace tflite;\ntable Model { version:uint; }\nroot_type Model;\n');
      const r = runScript(join(dir, 'out'), { INT8COSIM_TFLITE_SCHEMA: wrong });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`sha256 ${sha256(wrong)}, expected ${scriptValue('schema_sha256')}`));
      assert.equal(existsSync(join(dir, 'out')), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const schema = localSchema();
  const flatc = spawnSync('flatc', ['--version'], { encoding: 'utf8' });
  const flatcVersion = flatc.error ? 'none' : flatc.stdout.trim();
  const why = flatcVersion !== 'flatc version 2.0.8' ? `needs flatc 2.0.8, found ${flatcVersion}` : 'missing' in schema ? schema.missing : undefined;
  const title = why !== undefined || !('path' in schema)
    ? `not regenerated (${why}): only SHA256SUMS was checked`
    : `regenerated by the script (flatc 2.0.8, schema.fbs from ${schema.path}), the committed folder is byte for byte its output`;
  it(title, function () {
    // bin/ensure-system-packages test installs flatbuffers-compiler; another flatc writes other code.
    if (why !== undefined || !('path' in schema)) this.skip();
    this.timeout(30_000);
    const out = mkdtempSync(join(tmpdir(), 'int8cosim-tflite-schema-'));
    try {
      const r = runScript(out, { INT8COSIM_TFLITE_SCHEMA: schema.path });
      assert.equal(r.status, 0, r.stderr);
      const made = generatedFiles(out);
      assert.ok(made.length > 150, `only ${made.length} files generated`);
      assert.deepEqual(generatedFiles(SCHEMA_DIR), made);
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
