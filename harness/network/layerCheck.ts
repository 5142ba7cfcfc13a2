/**
 * The network's byte scoreboard: for every image and every layer, the int8 output codes of the golden model
 * (quant/golden, its own chain from the input), of hw-sim (the reference's output rows of each array program) and
 * of the RTL (its output rows, sampled by the monitor) are compared byte for byte, with no tolerance. Counts the
 * bytes compared and the bytes that differ per pair and per layer, and keeps the first difference: image, layer,
 * element (n, h, w, c) and the three values.
 *
 * Host layers (maxpool2d, flatten) run once on the host between array programs, on the RTL's output rows (which
 * the lockstep has just matched with hw-sim's): their output is compared with the golden model's; hw-sim vs RTL
 * compares the array layers, where the two engines really produce the bytes.
 */
import { argmax } from '../../quant/golden/evaluate.ts';
import { GoldenModel } from '../../quant/golden/run.ts';
import { shapeSize } from '../../quant/format/shapes.ts';
import { isMacLayer, type QuantModel } from '../../quant/format/types.ts';
import type { ArithmeticChoice } from '../../quant/format/arithmetic.ts';
import { MismatchError, ShapeError } from '../../quant/errors.ts';
import { sameBytes } from '../lockstep/compare.ts';
import type { RoundingMode } from '../../quant/spec/index.ts';

export const PAIRS = ['golden-hwsim', 'golden-rtl', 'hwsim-rtl'] as const;
export type Pair = (typeof PAIRS)[number];

export interface PairCount {
  bytesCompared: number;
  bytesDiffering: number;
}

export interface LayerCount {
  layer: string;
  type: string;
  /** Where the layer ran: on the array (hw-sim and RTL each produce it) or on the host. */
  where: 'array' | 'host';
  /** Output bytes of one image. */
  bytesPerImage: number;
  pairs: Record<Pair, PairCount>;
}

export interface LayerDifference {
  image: number;
  layer: string;
  layerIndex: number;
  /** The element in NHWC (n = image), or (n, i) for a vector layer. */
  element: number[];
  /** Which pairs differ at that element. */
  pairs: Pair[];
  golden: number;
  hwsim: number;
  rtl: number;
}

export interface LayerCheckResult {
  images: number;
  pairs: Record<Pair, PairCount>;
  layers: LayerCount[];
  first?: LayerDifference;
  /** Argmax of the last layer, per engine, image after image. */
  predictions: { golden: Int32Array; hwsim: Int32Array; rtl: Int32Array };
}

const emptyPairs = (): Record<Pair, PairCount> => ({
  'golden-hwsim': { bytesCompared: 0, bytesDiffering: 0 },
  'golden-rtl': { bytesCompared: 0, bytesDiffering: 0 },
  'hwsim-rtl': { bytesCompared: 0, bytesDiffering: 0 },
});

/** n, then the layer's output shape unravelled (row-major, NHWC). */
function elementOf(image: number, shape: readonly number[], i: number): number[] {
  const idx: number[] = [];
  let rest = i;
  for (let d = shape.length - 1; d >= 0; d--) {
    const s = shape[d] as number;
    idx.unshift(rest % s);
    rest = Math.floor(rest / s);
  }
  return [image, ...idx];
}

export class LayerCheck {
  private readonly golden: GoldenModel;
  private readonly layers: LayerCount[];
  private readonly sizes: number[];
  private readonly classes: number;
  private readonly predictions: LayerCheckResult['predictions'];
  private first: LayerDifference | undefined;
  private imagesChecked = 0;

  private readonly choice: ArithmeticChoice;

  /**
   * `arithmetic`: the rounding mode every MAC layer runs in (a trained model), or a choice over the model's own
   * arithmetic ({} for an imported model: its TFLite target decides each layer's rounding).
   */
  constructor(readonly model: QuantModel, arithmetic: RoundingMode | ArithmeticChoice, readonly totalImages: number) {
    this.choice = typeof arithmetic === 'string' ? { roundingMode: arithmetic } : arithmetic;
    this.golden = new GoldenModel(model);
    this.sizes = model.layers.map((l) => shapeSize(l.outputShape));
    this.classes = this.sizes[this.sizes.length - 1] ?? 0;
    this.layers = model.layers.map((l, i) => ({
      layer: l.name,
      type: l.type,
      where: isMacLayer(l) ? 'array' : 'host',
      bytesPerImage: this.sizes[i] as number,
      pairs: emptyPairs(),
    }));
    this.predictions = { golden: new Int32Array(totalImages), hwsim: new Int32Array(totalImages), rtl: new Int32Array(totalImages) };
  }

  /**
   * Checks images [b0, b0 + nb): `codes` are their input codes, `hwsim[i]` and `rtl[i]` the outputs of layer i,
   * image after image (nb x the layer's output size each).
   */
  checkBatch(b0: number, codes: Int8Array, hwsim: readonly Int8Array[], rtl: readonly Int8Array[]): void {
    const nb = codes.length / this.golden.inputSize;
    if (!Number.isInteger(nb) || nb < 1 || b0 + nb > this.totalImages) {
      throw new ShapeError(`LayerCheck: ${codes.length} input codes from image ${b0} do not make whole images of ${this.golden.inputSize} within ${this.totalImages}`);
    }
    if (hwsim.length !== this.sizes.length || rtl.length !== this.sizes.length) {
      throw new ShapeError(`LayerCheck: model '${this.model.name}' has ${this.sizes.length} layers; got ${hwsim.length} hw-sim and ${rtl.length} RTL outputs`);
    }
    const gold = this.golden.run(codes, { batch: nb, collect: true, ...this.choice }).layers as Int8Array[];
    for (let li = 0; li < this.sizes.length; li++) {
      const size = this.sizes[li] as number;
      const g = gold[li] as Int8Array;
      const h = hwsim[li] as Int8Array;
      const r = rtl[li] as Int8Array;
      if (h.length !== nb * size || r.length !== nb * size) {
        throw new ShapeError(`LayerCheck: layer ${li} '${this.model.layers[li]?.name}' gives ${size} bytes an image; for ${nb} images got hw-sim ${h.length}, RTL ${r.length}`);
      }
      const lc = this.layers[li] as LayerCount;
      const onArray = lc.where === 'array';
      let dGh = 0;
      let dGr = 0;
      let dHr = 0;
      // the rule: all three equal, told by two memcmps; only a layer that differs is searched byte by byte
      const equal = sameBytes(g, h) && sameBytes(g, r);
      for (let i = 0; !equal && i < g.length; i++) {
        const gv = g[i] as number;
        const hv = h[i] as number;
        const rv = r[i] as number;
        if (gv === hv && gv === rv) continue;
        const pairs: Pair[] = [];
        if (gv !== hv) {
          dGh++;
          pairs.push('golden-hwsim');
        }
        if (gv !== rv) {
          dGr++;
          pairs.push('golden-rtl');
        }
        if (onArray && hv !== rv) {
          dHr++;
          pairs.push('hwsim-rtl');
        }
        if (this.first === undefined && pairs.length > 0) {
          const image = b0 + Math.floor(i / size);
          const layer = this.model.layers[li] as QuantModel['layers'][number];
          this.first = { image, layer: layer.name, layerIndex: li, element: elementOf(image, layer.outputShape, i % size), pairs, golden: gv, hwsim: hv, rtl: rv };
        }
      }
      const n = g.length;
      lc.pairs['golden-hwsim'].bytesCompared += n;
      lc.pairs['golden-hwsim'].bytesDiffering += dGh;
      lc.pairs['golden-rtl'].bytesCompared += n;
      lc.pairs['golden-rtl'].bytesDiffering += dGr;
      if (onArray) {
        lc.pairs['hwsim-rtl'].bytesCompared += n;
        lc.pairs['hwsim-rtl'].bytesDiffering += dHr;
      }
    }
    const last = this.sizes.length - 1;
    for (let b = 0; b < nb; b++) {
      const o = b * this.classes;
      this.predictions.golden[b0 + b] = argmax(gold[last] as Int8Array, o, this.classes);
      this.predictions.hwsim[b0 + b] = argmax(hwsim[last] as Int8Array, o, this.classes);
      this.predictions.rtl[b0 + b] = argmax(rtl[last] as Int8Array, o, this.classes);
    }
    this.imagesChecked = Math.max(this.imagesChecked, b0 + nb);
  }

  result(): LayerCheckResult {
    const pairs = emptyPairs();
    for (const l of this.layers) {
      for (const p of PAIRS) {
        pairs[p].bytesCompared += l.pairs[p].bytesCompared;
        pairs[p].bytesDiffering += l.pairs[p].bytesDiffering;
      }
    }
    const n = this.imagesChecked;
    const r: LayerCheckResult = {
      images: n,
      pairs,
      layers: this.layers.map((l) => ({ ...l, pairs: { ...l.pairs } })),
      predictions: { golden: this.predictions.golden.subarray(0, n), hwsim: this.predictions.hwsim.subarray(0, n), rtl: this.predictions.rtl.subarray(0, n) },
    };
    if (this.first !== undefined) r.first = this.first;
    return r;
  }
}

/** The first difference as one line: image, layer, element and the three values. */
export function describeLayerDifference(d: LayerDifference): string {
  const el = d.element.length === 4 ? `(n=${d.element[0]}, h=${d.element[1]}, w=${d.element[2]}, c=${d.element[3]})` : `(${d.element.join(', ')})`;
  return `image ${d.image}, layer ${d.layerIndex} '${d.layer}', element ${el}: golden ${d.golden}, hw-sim ${d.hwsim}, RTL ${d.rtl} (${d.pairs.join(', ')} differ)`;
}

/** A MismatchError for the first differing byte of a network run. */
export function layerMismatchError(d: LayerDifference): MismatchError {
  return new MismatchError(
    { layer: d.layer, tile: '-', cycle: -1, where: `element (${d.element.join(', ')})`, expected: d.golden, actual: d.pairs.includes('golden-rtl') ? d.rtl : d.hwsim },
    `layer outputs differ byte for byte: ${describeLayerDifference(d)}`,
  );
}
