/**
 * The training backend: @tensorflow/tfjs-node when it is installed (never required: it cannot install offline),
 * otherwise the WASM backend (SIMD; one thread in Node), with the Conv2DBackpropFilter kernel it lacks registered
 * at start-up. Measured here: CNN training is 11-13x faster on WASM than on the pure-JS CPU backend.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { adamConfig } from './adam-kernel.ts';
import { addChannelsConfig } from './add-channels.ts';
import { batchMatMulConfig } from './batch-mat-mul.ts';
import { batchNormTrainConfig, batchNormTrainGradConfig } from './batch-norm-train-kernels.ts';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.ts';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.ts';
import { divChannelsConfigs } from './div-channels.ts';
import { fakeQuantizeConfig } from './fake-quantize-kernel.ts';
import { identityConfig, sameTypeCastConfig } from './identity-kernel.ts';
import { maxPoolGradConfig, sumConfig } from './wasm-js-kernels.ts';

let ready: Promise<string> | undefined;

async function tryNode(): Promise<boolean> {
  try {
    const name = '@tensorflow/tfjs-node';
    await import(/* @vite-ignore */ name);
    return tf.findBackend('tensorflow') !== null && (await tf.setBackend('tensorflow'));
  } catch {
    return false;
  }
}

let registered = false;

function kernelOf(name: string): tf.KernelFunc {
  const k = tf.getKernel(name, 'wasm');
  if (k === undefined) throw new Error(`the wasm backend has no ${name} kernel`);
  return k.kernelFunc;
}

/**
 * Registers the WASM kernel the backend lacks (Conv2DBackpropFilter), the fused training BatchNorm (forward and
 * backward, batch-norm-train.ts's op), quant/fakequant's fused fake-quant, the fused Adam step
 * (model/train/adam.ts), x / s and x + b per channel (div-channels.ts, add-channels.ts), and replaces six slow
 * ones: stride-1 Conv2DBackpropInput (built on its Conv2D), BatchMatMul with transposed operands (transposed first),
 * MaxPoolGrad and leading-axes Sum (loops over its heap), and Identity and a Cast to the same dtype, which share
 * their input's buffer instead of copying it (identity-kernel.ts). Idempotent.
 */
export function registerWasmKernels(): void {
  // tfjs's kernel registry is one per process, but this module can be loaded twice (a static import and a dynamic
  // one under a loader that keeps CommonJS and ESM copies apart, as mocha with tsx does): ask the registry too, so
  // that a second copy neither registers the kernels again nor wraps the replaced ones twice.
  if (registered || tf.getKernel(addChannelsConfig('wasm').kernelName, 'wasm') !== undefined) {
    registered = true;
    return;
  }
  registered = true;
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm') === undefined) tf.registerKernel(conv2dBackpropFilterConfig('wasm'));
  tf.registerKernel(batchNormTrainConfig('wasm'));
  tf.registerKernel(batchNormTrainGradConfig('wasm'));
  tf.registerKernel(fakeQuantizeConfig('wasm'));
  tf.registerKernel(adamConfig('wasm'));
  for (const k of divChannelsConfigs('wasm')) tf.registerKernel(k);
  tf.registerKernel(addChannelsConfig('wasm'));
  const original = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (original !== undefined) {
    tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
    tf.registerKernel({ ...conv2dBackpropInputConfig('wasm', original.kernelFunc, kernelOf), setupFunc: original.setupFunc });
  }
  const matMul = tf.getKernel('BatchMatMul', 'wasm');
  if (matMul !== undefined) {
    tf.unregisterKernel('BatchMatMul', 'wasm');
    tf.registerKernel(batchMatMulConfig('wasm', matMul, kernelOf));
  }
  for (const [name, make] of [['MaxPoolGrad', maxPoolGradConfig], ['Sum', sumConfig], ['Identity', identityConfig], ['Cast', sameTypeCastConfig]] as const) {
    const k = tf.getKernel(name, 'wasm');
    if (k === undefined) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(make('wasm', k));
  }
}

/**
 * Selects the fastest available backend once and returns its name. `prefer` forces one ('cpu' for the tests that
 * compare against the reference kernels); INT8COSIM_BACKEND does the same from the environment.
 */
export function initBackend(prefer?: 'wasm' | 'cpu' | 'tensorflow'): Promise<string> {
  const want = prefer ?? (process.env.INT8COSIM_BACKEND as 'wasm' | 'cpu' | 'tensorflow' | undefined);
  if (want !== undefined) return selectBackend(want);
  ready ??= (async () => {
    if (await tryNode()) return 'tensorflow';
    return selectBackend('wasm');
  })();
  return ready;
}

async function selectBackend(name: 'wasm' | 'cpu' | 'tensorflow'): Promise<string> {
  if (name === 'tensorflow') {
    if (!(await tryNode())) throw new Error('backend tensorflow requested but @tensorflow/tfjs-node is not installed');
    return name;
  }
  registerWasmKernels();
  if (!(await tf.setBackend(name))) throw new Error(`could not initialise the tfjs '${name}' backend`);
  await tf.ready();
  return name;
}
