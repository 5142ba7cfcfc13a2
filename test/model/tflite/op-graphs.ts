/**
 * Small int8 TFLite graphs the project writes itself (model/tflite TfliteGraphBuilder), one for every op the
 * importer takes, with seeded random weights and scales sized so that activations spread over the int8 range:
 * the importer and the golden model are tested against TFLite's runtime on them without any file from outside.
 */
import { Rng } from '../../../quant/random.ts';
import { TfliteGraphBuilder, type TfliteGraph } from '../../../model/tflite/index.ts';

interface Act {
  t: number;
  shape: number[];
  scale: number;
  zp: number;
}

function logUniform(rng: Rng, lo: number, hi: number): number {
  return lo * (hi / lo) ** rng.next();
}

/** A builder with helpers that keep the scales plausible (outputs neither all saturated nor all zero). */
export class OpGraph {
  readonly b: TfliteGraphBuilder;
  private n = 0;
  constructor(readonly rng: Rng, source: string) {
    this.b = new TfliteGraphBuilder(source);
  }

  private act(shape: number[], scale: number, zp = this.rng.int(-128, 0)): Act {
    const t = this.b.tensor(`t${this.n++}`, 'INT8', [1, ...shape], { scale: [scale], zeroPoint: [zp] });
    return { t, shape, scale: Math.fround(scale), zp };
  }

  input(shape: number[]): Act {
    const scale = logUniform(this.rng, 0.005, 0.1);
    const zp = this.rng.int(-128, 127);
    const t = this.b.input('input', 'INT8', [1, ...shape], { scale: [scale], zeroPoint: [zp] });
    return { t, shape, scale: Math.fround(scale), zp };
  }

  private weights(count: number): Int8Array {
    return Int8Array.from({ length: count }, () => Math.max(-127, Math.min(127, Math.round(this.rng.normal() * 50))));
  }

  /** A MAC op's filter, bias and output; `k` is the accumulation depth (to size the output scale). */
  private mac(x: Act, opts: { filterShape: number[]; channels: number; axis: number; perChannel: boolean; k: number; outShape: number[] }) {
    const { filterShape, channels, axis, perChannel, k, outShape } = opts;
    const wScales = Array.from({ length: perChannel ? channels : 1 }, () => logUniform(this.rng, 0.002, 0.02));
    const w = this.b.constant(`w${this.n++}`, filterShape, this.weights(filterShape.reduce((a, b) => a * b, 1)), { scale: wScales, quantizedDimension: axis });
    const biasScales = Array.from({ length: channels }, (_, c) => Math.fround(x.scale) * Math.fround(wScales[perChannel ? c : 0] as number));
    const bias = this.b.constant(`b${this.n++}`, [channels], Int32Array.from({ length: channels }, () => Math.round(this.rng.normal() * 2000)), { scale: perChannel ? biasScales : [biasScales[0] as number] });
    const typical = x.scale * (wScales[0] as number) * 50 * 60 * Math.sqrt(k);
    const y = this.act(outShape, typical / 40);
    return { w, bias, y };
  }

  conv2d(x: Act, o: number, kh: number, kw: number, stride: number, padding: 'SAME' | 'VALID', act = 'RELU', perChannel = true): Act {
    const [h, w, c] = x.shape as [number, number, number];
    const oh = padding === 'SAME' ? Math.ceil(h / stride) : Math.floor((h - kh) / stride) + 1;
    const ow = padding === 'SAME' ? Math.ceil(w / stride) : Math.floor((w - kw) / stride) + 1;
    const m = this.mac(x, { filterShape: [o, kh, kw, c], channels: o, axis: 0, perChannel, k: kh * kw * c, outShape: [oh, ow, o] });
    this.b.op('CONV_2D', [x.t, m.w, m.bias], [m.y.t], 'Conv2DOptions', { padding, strideW: stride, strideH: stride, fusedActivationFunction: act }, 3);
    return m.y;
  }

  depthwise(x: Act, kh: number, kw: number, stride: number, padding: 'SAME' | 'VALID', act = 'RELU6'): Act {
    const [h, w, c] = x.shape as [number, number, number];
    const oh = padding === 'SAME' ? Math.ceil(h / stride) : Math.floor((h - kh) / stride) + 1;
    const ow = padding === 'SAME' ? Math.ceil(w / stride) : Math.floor((w - kw) / stride) + 1;
    const m = this.mac(x, { filterShape: [1, kh, kw, c], channels: c, axis: 3, perChannel: true, k: kh * kw, outShape: [oh, ow, c] });
    this.b.op('DEPTHWISE_CONV_2D', [x.t, m.w, m.bias], [m.y.t], 'DepthwiseConv2DOptions', { padding, strideW: stride, strideH: stride, depthMultiplier: 1, fusedActivationFunction: act }, 3);
    return m.y;
  }

  fullyConnected(x: Act, n: number, act = 'NONE', perChannel = false): Act {
    const k = x.shape.reduce((a, b) => a * b, 1);
    const m = this.mac(x, { filterShape: [n, k], channels: n, axis: 0, perChannel, k, outShape: [n] });
    this.b.op('FULLY_CONNECTED', [x.t, m.w, m.bias], [m.y.t], 'FullyConnectedOptions', { fusedActivationFunction: act }, 4);
    return m.y;
  }

  add(a: Act, b: Act, act = 'RELU'): Act {
    const y = this.act(a.shape, Math.max(a.scale, b.scale) * logUniform(this.rng, 0.8, 2));
    this.b.op('ADD', [a.t, b.t], [y.t], 'AddOptions', { fusedActivationFunction: act }, 2);
    return y;
  }

  pool(opcode: 'AVERAGE_POOL_2D' | 'MAX_POOL_2D', x: Act, k: number, stride: number, padding: 'SAME' | 'VALID', act = 'NONE'): Act {
    const [h, w, c] = x.shape as [number, number, number];
    const oh = padding === 'SAME' ? Math.ceil(h / stride) : Math.floor((h - k) / stride) + 1;
    const ow = padding === 'SAME' ? Math.ceil(w / stride) : Math.floor((w - k) / stride) + 1;
    const y = this.act([oh, ow, c], x.scale, x.zp);
    this.b.op(opcode, [x.t], [y.t], 'Pool2DOptions', { padding, strideW: stride, strideH: stride, filterWidth: k, filterHeight: k, fusedActivationFunction: act }, 2);
    return y;
  }

  reshape(x: Act, shape: number[]): Act {
    const s = this.b.constant(`shape${this.n++}`, [shape.length + 1], Int32Array.from([1, ...shape]));
    const y = this.act(shape, x.scale, x.zp);
    this.b.op('RESHAPE', [x.t, s], [y.t], 'ReshapeOptions', { newShape: [1, ...shape] }, 1);
    return y;
  }

  softmax(x: Act, beta = 1): Act {
    const t = this.b.tensor(`t${this.n++}`, 'INT8', [1, ...x.shape], { scale: [1 / 256], zeroPoint: [-128] });
    this.b.op('SOFTMAX', [x.t], [t], 'SoftmaxOptions', { beta }, 2);
    return { t, shape: x.shape, scale: 1 / 256, zp: -128 };
  }

  finish(y: Act): TfliteGraph {
    this.b.output(y.t);
    this.b.metadata('min_runtime_version', '1.14.0');
    return this.b.graph();
  }
}

/**
 * A small network with every op: CONV_2D (SAME, stride 1, RELU, per-channel) -> DEPTHWISE_CONV_2D (3x3 stride 2,
 * RELU6) and, beside it, a 1x1 stride-2 CONV_2D (no activation, per-tensor) -> ADD (RELU) -> MAX_POOL_2D 2x2 ->
 * AVERAGE_POOL_2D 3x3 SAME stride 1 -> RESHAPE -> FULLY_CONNECTED -> SOFTMAX.
 */
export function allOpsGraph(seed: number): TfliteGraph {
  const g = new OpGraph(new Rng(seed), `<all-ops ${seed}>`);
  const x = g.input([8, 8, 3]);
  const c1 = g.conv2d(x, 6, 3, 3, 1, 'SAME');
  const dw = g.depthwise(c1, 3, 3, 2, 'SAME');
  const side = g.conv2d(c1, 6, 1, 1, 2, 'VALID', 'NONE', false);
  const sum = g.add(dw, side);
  const mp = g.pool('MAX_POOL_2D', sum, 2, 2, 'VALID');
  const ap = g.pool('AVERAGE_POOL_2D', mp, 3, 1, 'SAME');
  const flat = g.reshape(ap, [2 * 2 * 6]);
  const fc = g.fullyConnected(flat, 5);
  return g.finish(g.softmax(fc));
}
