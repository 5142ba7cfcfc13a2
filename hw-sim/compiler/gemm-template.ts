/**
 * A GEMM compiled once for every X of its shape: a layer's programs differ from image to image only in their
 * activation words (the schedule, the weight rows, the parameters and the configuration depend on the shapes and
 * on the layer's constants). The template lowers the program once with X = 0; each X then gets a copy of those
 * beats with its activation words written in (lower.ts activationSlots: where each goes, from which entry of X,
 * found once): word for word the beats compileGemm lowers from that X.
 */
import { ShapeError } from '../../quant/errors.ts';
import type { ArrayConfig } from '../contract/index.ts';
import type { BeatPool } from './beat-pool.ts';
import { activationSlots, lowerActivations, type ActivationSlots, type GemmOperands } from './lower.ts';
import { compileGemm, type Program } from './program.ts';

export class GemmTemplate {
  private readonly base: Program;
  /** Beat buffers this template filled: every word but the activation words is the template's (beats are read-only). */
  private readonly issued = new WeakSet<Int32Array>();
  /** Where the activation words go and which X entry each takes; for a gathered X, which input element (or -1). */
  private readonly slots: ActivationSlots;
  private readonly gathered = new WeakMap<Int32Array, ActivationSlots>();

  /** ops: everything of the GEMM but X (checked as compileGemm checks it). */
  constructor(cfg: ArrayConfig, m: number, k: number, n: number, ops: Omit<GemmOperands, 'x'>, layer = 'gemm') {
    this.base = compileGemm(cfg, m, k, n, { ...ops, x: new Int8Array(m * k) }, layer);
    this.slots = activationSlots(cfg, this.base.plan);
  }

  get m(): number {
    return this.base.m;
  }

  /**
   * The program of X[M, K] (int8, row-major): its own beats, from `pool` when given; plan and commands are the
   * template's (read-only). A buffer this template filled before gets its activation words rewritten (its other
   * words are the template's already), any other buffer every word.
   */
  compile(x: Int8Array, pool?: BeatPool): Program {
    const b = this.base;
    if (x.length !== b.m * b.plan.k) throw new ShapeError(`layer '${b.layer}': expected X [M=${b.m}, K=${b.plan.k}] = ${b.m * b.plan.k} values, got ${x.length}`);
    return this.fill(pool, (beats) => lowerActivations(this.slots, x, beats));
  }

  /**
   * The program of the X gathered from `input`: X[i] = input[source[i]], or pad where source[i] < 0 (source: M*K
   * entries; a conv layer's im2col as an index map, im2col-map.ts), without X itself.
   */
  compileGathered(input: Int8Array, source: Int32Array, pad: number, pool?: BeatPool): Program {
    const b = this.base;
    if (source.length !== b.m * b.plan.k) throw new ShapeError(`layer '${b.layer}': expected a source of X [M=${b.m}, K=${b.plan.k}] = ${b.m * b.plan.k} indices, got ${source.length}`);
    let slots = this.gathered.get(source);
    if (slots === undefined) {
      const xIndex = this.slots.xIndex.map((i) => source[i] as number);
      this.gathered.set(source, (slots = { pos: this.slots.pos, xIndex }));
    }
    const { pos, xIndex } = slots;
    return this.fill(pool, (beats) => {
      for (let j = 0; j < pos.length; j++) {
        const i = xIndex[j] as number;
        beats[pos[j] as number] = i < 0 ? pad : (input[i] as number);
      }
    });
  }

  private fill(pool: BeatPool | undefined, activations: (beats: Int32Array) => void): Program {
    const b = this.base;
    const beats = pool === undefined ? new Int32Array(b.beats.length) : pool.take(b.beats.length);
    if (!this.issued.has(beats)) {
      beats.set(b.beats);
      this.issued.add(beats);
    }
    activations(beats);
    return { ...b, beats };
  }
}
