/**
 * Adam for the trainer: tfjs's AdamOptimizer step for step and bit for bit (its float32 operations, its bias
 * correction through float32 powers beta^t), one fused kernel a variable (model/backend/adam-kernel.ts) where the
 * backend has it; tf.train.adam itself elsewhere. `learningRate` may change between steps (the cosine decay).
 */
import * as tf from '@tensorflow/tfjs';
import { ADAM_KERNEL, type AdamAttrs } from '../backend/adam-kernel.ts';

export interface TrainOptimizer {
  learningRate: number;
  applyGradients(grads: tf.NamedTensorMap): void;
  dispose(): void;
}

const f = Math.fround;

class FusedAdam implements TrainOptimizer {
  private readonly moments = new Map<string, { m: tf.Tensor; v: tf.Tensor }>();
  /** beta^t as tfjs keeps it: a float32 scalar multiplied by beta after each step. */
  private accBeta1: number;
  private accBeta2: number;

  constructor(public learningRate: number, private readonly beta1 = 0.9, private readonly beta2 = 0.999, private readonly epsilon = 1e-7) {
    this.accBeta1 = f(beta1);
    this.accBeta2 = f(beta2);
  }

  applyGradients(grads: tf.NamedTensorMap): void {
    const attrs: AdamAttrs = {
      b1: f(this.beta1), c1: f(1 - this.beta1), b2: f(this.beta2), c2: f(1 - this.beta2),
      d1: f(1 - this.accBeta1), d2: f(1 - this.accBeta2), eps: f(this.epsilon), nlr: f(-this.learningRate),
    };
    tf.tidy(() => {
      for (const [name, g] of Object.entries(grads)) {
        const w = tf.engine().registeredVariables[name];
        if (w === undefined) throw new Error(`Adam: no variable named '${name}'`);
        let st = this.moments.get(name);
        if (st === undefined) {
          st = { m: tf.keep(tf.zerosLike(w)), v: tf.keep(tf.zerosLike(w)) };
          this.moments.set(name, st);
        }
        const [w2, m2, v2] = tf.engine().runKernel(ADAM_KERNEL, { w, m: st.m, v: st.v, g }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        w.assign(w2 as tf.Tensor);
        tf.dispose([st.m, st.v]);
        st.m = tf.keep(m2 as tf.Tensor);
        st.v = tf.keep(v2 as tf.Tensor);
      }
    });
    this.accBeta1 = f(this.accBeta1 * f(this.beta1));
    this.accBeta2 = f(this.accBeta2 * f(this.beta2));
  }

  dispose(): void {
    for (const st of this.moments.values()) tf.dispose([st.m, st.v]);
    this.moments.clear();
  }
}

/** tf.train.adam's TrainOptimizer face. */
class TfAdam implements TrainOptimizer {
  private readonly inner: tf.AdamOptimizer;
  constructor(learningRate: number) {
    this.inner = tf.train.adam(learningRate);
  }
  get learningRate(): number {
    return (this.inner as unknown as { learningRate: number }).learningRate;
  }
  set learningRate(lr: number) {
    (this.inner as unknown as { learningRate: number }).learningRate = lr;
  }
  applyGradients(grads: tf.NamedTensorMap): void {
    this.inner.applyGradients(grads as unknown as Parameters<tf.AdamOptimizer['applyGradients']>[0]);
  }
  dispose(): void {
    this.inner.dispose();
  }
}

/** Adam (beta1 0.9, beta2 0.999, epsilon 1e-7: tf.train.adam's defaults): fused where the backend has the kernel. */
export function adam(learningRate: number, fused = tf.getKernel(ADAM_KERNEL, tf.getBackend()) !== undefined): TrainOptimizer {
  return fused ? new FusedAdam(learningRate) : new TfAdam(learningRate);
}
