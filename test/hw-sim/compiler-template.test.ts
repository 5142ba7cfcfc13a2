/**
 * The compiler's fast paths against the plain compile: a layer's programs from its template (gemm-template.ts:
 * the beats lowered once, the activation words written in per input; conv2d's X gathered through im2col's index
 * map, im2col-map.ts), with and without beat buffers reused from a pool (beat-pool.ts), are word for word the
 * programs compileGemm lowers from im2col's X; and the network walk compiles the same streams with recycle on.
 */
import assert from 'node:assert/strict';
import { BeatPool } from '../../hw-sim/compiler/beat-pool.ts';
import { compileLayer, compileLayerGemm, layerGemm, type MacLayer } from '../../hw-sim/compiler/compile-layer.ts';
import { im2colMap } from '../../hw-sim/compiler/im2col-map.ts';
import { compileGemm, type Program } from '../../hw-sim/compiler/program.ts';
import { runNetworkOn } from '../../hw-sim/network/walk-network.ts';
import type { ProgramResult, SyncProgramExecutor } from '../../hw-sim/network/executor.ts';
import { zeroCounters } from '../../hw-sim/counters.ts';
import { im2col } from '../../quant/format/im2col.ts';
import { convGeometry, shapeSize } from '../../quant/format/shapes.ts';
import { randomModel } from '../../quant/format/random-model.ts';
import { isMacLayer } from '../../quant/format/types.ts';
import { Rng } from '../../quant/random.ts';
import type { RoundingMode } from '../../quant/spec/index.ts';
import { arrayConfig } from './helpers.ts';

/** The plain compile: im2col's X (conv2d) or the input as X, lowered from scratch. */
function fresh(layer: MacLayer, x: Int8Array, m: number, cfg: ReturnType<typeof arrayConfig>, round: RoundingMode): Program {
  const g = layerGemm(layer);
  const X = layer.type === 'conv2d' ? im2col(x, g.geometry!, layer.input.zeroPoint) : x;
  return compileGemm(cfg, m, g.k, g.n, { x: X, w: layer.weights, bias: g.foldedBias, m0: layer.multiplier, shift: layer.shift, zp: layer.output.zeroPoint, min: layer.actMin, max: layer.actMax, round }, layer.name);
}

function assertSameProgram(got: Program, want: Program, what: string): void {
  assert.equal(got.nCycles, want.nCycles, what);
  assert.deepEqual([got.layer, got.m, got.n, got.outputRows, got.macs], [want.layer, want.m, want.n, want.outputRows, want.macs], what);
  assert.deepEqual(got.commands, want.commands, what);
  assert.equal(got.beats.length, want.beats.length, what);
  const i = got.beats.findIndex((v, j) => v !== want.beats[j]);
  assert.equal(i, -1, `${what}: beat word ${i} (cycle ${Math.floor(i / (want.beats.length / want.nCycles))}) is ${got.beats[i]}, a fresh compile has ${want.beats[i]}`);
}

describe('hw-sim compiler: templates, gathered im2col and reused beat buffers', () => {
  it("im2colMap gathers im2col's X from the input, padding included, over random geometries", () => {
    const seed = 3101;
    const rng = new Rng(seed);
    for (let trial = 0; trial < 40; trial++) {
      const shape = [rng.int(1, 9), rng.int(1, 9), rng.int(1, 4)];
      const kernel: [number, number] = [rng.int(1, Math.min(3, shape[0]!)), rng.int(1, Math.min(3, shape[1]!))];
      const g = convGeometry(shape, kernel, [rng.int(1, 2), rng.int(1, 2)], rng.pick(['same', 'valid'] as const));
      const input = Int8Array.from({ length: shapeSize(shape) }, () => rng.int(-128, 127));
      const pad = rng.int(-128, 127);
      const map = im2colMap(g);
      const gathered = Int8Array.from(map, (s) => (s < 0 ? pad : input[s]!));
      assert.deepEqual(gathered, im2col(input, g, pad), `seed ${seed} trial ${trial}: [${shape}] kernel ${kernel}`);
    }
  });

  it('every layer program of random models equals the fresh compile, image after image, from new and from reused buffers', () => {
    const seed = 3102;
    const rng = new Rng(seed);
    for (let trial = 0; trial < 12; trial++) {
      const model = randomModel(rng, { layers: ['conv2d', 'conv2d', 'dense'], maxChannels: 10 });
      const cfg = arrayConfig({ rows: rng.int(2, 9), cols: rng.int(2, 9), accDepth: rng.pick([8, 16, 64]) });
      const round = rng.pick(cfg.roundingModes);
      const pool = new BeatPool();
      for (const layer of model.layers.filter(isMacLayer) as MacLayer[]) {
        const size = shapeSize(layer.inputShape);
        const batch = layer.type === 'dense' ? rng.int(1, 5) : 1;
        let last: Program | undefined;
        for (let image = 0; image < 4; image++) {
          const x = Int8Array.from({ length: size * batch }, () => rng.int(-128, 127));
          const want = fresh(layer, x, layer.type === 'dense' ? batch : layerGemm(layer).m, cfg, round);
          const what = `seed ${seed} trial ${trial} layer '${layer.name}' image ${image}`;
          if (image === 1 && last !== undefined) pool.give(new Int32Array(last.beats.length).fill(-7)); // a foreign buffer: every word rewritten
          if (image >= 2 && last !== undefined) pool.give(last.beats); // this template's own buffer: activation words rewritten
          const got = layer.type === 'dense' ? compileLayerGemm(layer, x, batch, cfg, round, pool) : compileLayer(layer, x, cfg, round, pool);
          assertSameProgram(got, want, what);
          if (image === 0) assertSameProgram(compileLayer(layer, x.subarray(0, size), cfg, round), fresh(layer, x.subarray(0, size), layerGemm(layer).m, cfg, round), `${what}, no pool`);
          last = got;
        }
      }
    }
  });

  it('the network walk with recycle compiles the same streams as without, batch after batch', () => {
    const seed = 3103;
    const rng = new Rng(seed);
    const model = randomModel(rng, { inputShape: [7, 7, 2], layers: ['conv2d', 'maxpool2d', 'conv2d', 'dense'], classes: 4, roundingMode: 'single', maxChannels: 5 });
    const cfg = arrayConfig({ rows: 4, cols: 4, accDepth: 64 });
    const codes = Int8Array.from({ length: 7 * shapeSize(model.input.shape) }, () => rng.int(model.input.qmin, model.input.qmax));
    const streams = (recycle: boolean): Int32Array[] => {
      const seen: Int32Array[] = [];
      const exec: SyncProgramExecutor = {
        cfg,
        counters: zeroCounters(),
        startBatch() {},
        run(p: Program): ProgramResult<never> {
          seen.push(p.beats.slice()); // the beats as run (the buffer itself is reused after the batch)
          return { output: Int8Array.from({ length: p.m * p.n }, (_, i) => (i * 7 + p.nCycles) % 50) };
        },
      };
      runNetworkOn(model, exec, codes, { batch: 2, recycle });
      return seen;
    };
    const plain = streams(false);
    const recycled = streams(true);
    assert.equal(recycled.length, plain.length);
    recycled.forEach((b, i) => assert.deepEqual(b, plain[i], `seed ${seed}: program ${i}`));
  });
});
