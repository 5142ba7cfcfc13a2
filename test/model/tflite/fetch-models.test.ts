import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MLPERF_TINY_COMMIT,
  MLPERF_TINY_MODELS,
  defaultLocalDirs,
  mlperfTinyFile,
  mlperfTinyModel,
} from '../../../model/tflite/fetch-models.ts';
import { ModelFetchError } from '../../../model/tflite/errors.ts';
import { UsageError } from '../../../quant/errors.ts';
import { mlperfBytes } from './helpers.ts';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('mlperfTinyModel', () => {
  let dir: string;
  let server: Server;
  let base: string;
  /** What the server serves at a path; every request is counted. */
  let served: Map<string, Uint8Array>;
  let requests: string[];

  before(async () => {
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      const body = served.get(req.url ?? '');
      if (body === undefined) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'int8cosim-models-'));
    served = new Map();
    requests = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const urlPath = (name: keyof typeof MLPERF_TINY_MODELS): string => `/${MLPERF_TINY_COMMIT}/${MLPERF_TINY_MODELS[name].path}`;

  it('names the three models by short name or file name; an unknown one is a usage error listing them', () => {
    assert.equal(mlperfTinyFile('kws').file, 'kws_ref_model.tflite');
    assert.equal(mlperfTinyFile('ad01_int8.tflite').path, 'benchmark/training/anomaly_detection/trained_models/ad01_int8.tflite');
    assert.throws(() => mlperfTinyFile('vww'), (e: unknown) => e instanceof UsageError && /unknown MLPerf Tiny model 'vww'; models: resnet8 \(pretrainedResnet_quant\.tflite\), kws/.test(e.message));
  });

  it('takes a local folder first, $INT8COSIM_MODELS before ../shared/models/mlperf-tiny', async () => {
    writeFileSync(join(dir, 'ad01_int8.tflite'), mlperfBytes('ad01'));
    assert.equal(await mlperfTinyModel('ad01', { localDirs: [dir], cacheDir: join(dir, 'cache'), baseUrl: base }), join(dir, 'ad01_int8.tflite'));
    assert.deepEqual(requests, []);
    const dirs = defaultLocalDirs({ INT8COSIM_MODELS: dir });
    assert.equal(dirs[0], dir);
    assert.match(dirs[1]!, /shared\/models\/mlperf-tiny$/);
    assert.equal(defaultLocalDirs({}).length, 1);
  });

  it('a local file with the wrong hash is an error naming both hashes, and is not passed over', async () => {
    const bad = mlperfBytes('kws').slice(0, 1000);
    writeFileSync(join(dir, 'kws_ref_model.tflite'), bad);
    served.set(urlPath('kws'), mlperfBytes('kws'));
    await assert.rejects(mlperfTinyModel('kws', { localDirs: [dir], cacheDir: join(dir, 'cache'), baseUrl: base }), (e: unknown) =>
      e instanceof ModelFetchError && e.message.includes(`sha256 ${sha(bad)}, expected ${MLPERF_TINY_MODELS.kws.sha256}`) && e.message.startsWith(join(dir, 'kws_ref_model.tflite')));
    assert.deepEqual(requests, []);
  });

  it('downloads <base>/<commit>/<path> into the cache once, then serves it from there', async () => {
    served.set(urlPath('resnet8'), mlperfBytes('resnet8'));
    const cacheDir = join(dir, 'cache');
    const logged: string[] = [];
    const p = await mlperfTinyModel('resnet8', { localDirs: [join(dir, 'none')], cacheDir, baseUrl: base, log: (m) => logged.push(m) });
    assert.equal(p, join(cacheDir, 'pretrainedResnet_quant.tflite'));
    assert.equal(sha(readFileSync(p)), MLPERF_TINY_MODELS.resnet8.sha256);
    assert.deepEqual(requests, [urlPath('resnet8')]);
    assert.deepEqual(logged, [`downloading ${base}${urlPath('resnet8')}`]);
    assert.match(readFileSync(`${p}.source.txt`, 'utf8'), /commit 1afd2c9820f795965a6134facd0b4dfae41ef23f.*licence Apache-2\.0/s);
    assert.equal(await mlperfTinyModel('resnet8', { localDirs: [], cacheDir, baseUrl: base }), p);
    assert.equal(requests.length, 1);
  });

  it('a download with the wrong hash (a partial file) is an error and leaves nothing in the cache', async () => {
    const partial = mlperfBytes('ad01').subarray(0, 5000);
    served.set(urlPath('ad01'), partial);
    const cacheDir = join(dir, 'cache');
    await assert.rejects(mlperfTinyModel('ad01', { localDirs: [], cacheDir, baseUrl: base }), (e: unknown) =>
      e instanceof ModelFetchError && e.message === `download of ${base}${urlPath('ad01')}: sha256 ${sha(partial)} (5000 bytes), expected ${MLPERF_TINY_MODELS.ad01.sha256}; not used`);
    assert.ok(!existsSync(cacheDir) || readdirSync(cacheDir).length === 0, 'nothing is cached');
  });

  it('an HTTP error and a wrong cached file are errors', async () => {
    const cacheDir = join(dir, 'cache');
    await assert.rejects(mlperfTinyModel('kws', { localDirs: [], cacheDir, baseUrl: base }), (e: unknown) => e instanceof ModelFetchError && /HTTP 404/.test(e.message));
    await assert.rejects(mlperfTinyModel('kws', { localDirs: [], cacheDir, baseUrl: 'http://127.0.0.1:1' }), (e: unknown) => e instanceof ModelFetchError && /download of http:\/\/127\.0\.0\.1:1\/.* failed/.test(e.message));
    // offline: the error says where the file was looked for, and how to point at a copy
    const local = join(dir, 'nowhere');
    await assert.rejects(mlperfTinyModel('kws', { localDirs: [local], cacheDir, baseUrl: 'http://127.0.0.1:1' }), (e: unknown) =>
      e instanceof ModelFetchError && e.message.includes(`kws_ref_model.tflite is not in ${local}, ${cacheDir} either`) && e.message.includes('set INT8COSIM_MODELS'));
    served.set(urlPath('kws'), mlperfBytes('kws'));
    const p = await mlperfTinyModel('kws', { localDirs: [], cacheDir, baseUrl: base });
    writeFileSync(p, 'garbage');
    await assert.rejects(mlperfTinyModel('kws', { localDirs: [], cacheDir, baseUrl: base }), (e: unknown) => e instanceof ModelFetchError && /delete it to download it again/.test(e.message));
  });

  it('here, by default: the three shared files, hash-checked', async () => {
    for (const name of Object.keys(MLPERF_TINY_MODELS)) {
      const p = await mlperfTinyModel(name);
      assert.equal(sha(readFileSync(p)), MLPERF_TINY_MODELS[name as keyof typeof MLPERF_TINY_MODELS].sha256);
    }
  });
});
