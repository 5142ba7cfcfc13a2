/**
 * Running an exported model on the array, image by image: every dense/conv2d layer is compiled to a Program and
 * run through one ArraySim whose state carries on across layers and images (reset once); maxpool2d and flatten
 * run on the host between programs.
 */
import { ShapeError } from '../quant/errors.ts';
import { shapeSize } from '../quant/format/shapes.ts';
import type { QuantModel } from '../quant/format/types.ts';
import { ArraySim } from './array-sim.ts';
import { compileLayer } from './compiler/compile-layer.ts';
import { gatherOutputs } from './compiler/gather.ts';
import { flatten, maxPool2d } from './compiler/host-ops.ts';
import type { Program } from './compiler/program.ts';
import { validateArrayConfig, type ArrayConfig } from './ports.ts';
import { addProgramRun, emptyLayerStats, networkStats, type LayerStats, type NetworkStats } from './stats.ts';

export interface RunNetworkOptions {
  /** Check the hazard rules every cycle (slower). */
  checkHazards?: boolean;
  /** Return every layer's output (default true). */
  collect?: boolean;
  /** Run on this simulator (already reset) instead of a fresh one. */
  sim?: ArraySim;
  /** Called with the one-line trace of every cycle of the first `traceImages` images (default 1). */
  trace?: (line: string) => void;
  traceImages?: number;
  /** Called after every program with its outputs (outBuf holds nCycles * outWords words). */
  onProgram?: (p: Program, image: number, layerIndex: number, outBuf: Int32Array) => void;
}

export interface RunNetworkResult {
  /** images x classes int8 codes, image after image. */
  output: Int8Array;
  /** With collect: layer i's outputs, image after image (the layout of quant/golden runGolden's `layers`). */
  layers: Int8Array[];
  stats: NetworkStats;
}

export function runNetwork(model: QuantModel, cfg: ArrayConfig, input: Int8Array, opts: RunNetworkOptions = {}): RunNetworkResult {
  validateArrayConfig(cfg);
  const inSize = shapeSize(model.input.shape);
  if (input.length === 0 || input.length % inSize !== 0) {
    throw new ShapeError(`runNetwork: model '${model.name}' takes images of [${model.input.shape.join(', ')}] = ${inSize} codes; got ${input.length} codes`);
  }
  const images = input.length / inSize;
  const collect = opts.collect ?? true;
  let sim = opts.sim;
  if (sim === undefined) {
    sim = new ArraySim(cfg, { checkHazards: opts.checkHazards === true });
    sim.reset();
  }
  const stats: LayerStats[] = model.layers.map((l) => emptyLayerStats(l.name, l.type, l.type === 'dense' || l.type === 'conv2d'));
  const outSizes = model.layers.map((l) => shapeSize(l.outputShape));
  const layers = collect ? outSizes.map((n) => new Int8Array(images * n)) : [];
  const classes = outSizes[outSizes.length - 1] ?? 0;
  const output = new Int8Array(images * classes);
  let outBuf = new Int32Array(0);
  for (let img = 0; img < images; img++) {
    let x = input.subarray(img * inSize, (img + 1) * inSize);
    model.layers.forEach((layer, li) => {
      let y: Int8Array;
      if (layer.type === 'dense' || layer.type === 'conv2d') {
        const p = compileLayer(layer, x, cfg);
        const need = p.nCycles * sim.outWords;
        if (outBuf.length < need) outBuf = new Int32Array(need);
        const before = { ...sim.counters };
        if (opts.trace !== undefined && img < (opts.traceImages ?? 1)) {
          opts.trace(`# image ${img} layer ${li} '${layer.name}': ${p.nCycles} cycles from cycle ${sim.cycle}`);
          for (let t = 0; t < p.nCycles; t++) {
            sim.step(p.beats, t * sim.inWords, outBuf, t * sim.outWords);
            opts.trace(sim.traceLine());
          }
        } else {
          sim.run(p.nCycles, p.beats, outBuf);
        }
        addProgramRun(stats[li] as LayerStats, p, before, sim.counters);
        y = gatherOutputs(p, outBuf);
        opts.onProgram?.(p, img, li, outBuf);
      } else if (layer.type === 'maxpool2d') {
        y = maxPool2d(layer, x);
        (stats[li] as LayerStats).images += 1;
      } else {
        y = flatten(layer, x);
        (stats[li] as LayerStats).images += 1;
      }
      if (collect) (layers[li] as Int8Array).set(y, img * (outSizes[li] as number));
      x = y;
    });
    output.set(x, img * classes);
  }
  return { output, layers, stats: networkStats(cfg, images, stats) };
}
