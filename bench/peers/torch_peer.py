#!/usr/bin/env python3
"""PyTorch peer of the benchmarks (issue 17): the same networks, data, batch and thread count as ours, timed in
the same run, so that the figure is our time over PyTorch's. Debian's python3-torch (1.13, CPU).

  torch_peer.py train --network cnn|tfc --mode float|qat --steps N --batch 64 --threads T --data DIR
  torch_peer.py infer --network cnn|tfc --batch 256 --threads T --images N --data DIR
  torch_peer.py infer-graph --graph FILE.json --batch 256 --threads T --images N

train: N timed steps of Adam (lr 1e-3) on MNIST's training images after 20 warm-up steps; qat is eager-mode
quantization-aware training (torch.ao.quantization, conv+BN+ReLU fused, per-channel int8 weights, int8
activations). infer: the network converted to int8 (PTQ, 512 calibration images) in the quantized engine named
by --engine (default onednn, else fbgemm), images per second (wall and CPU) over N test images at the batch. Prints one JSON object.
The networks are model/net/spec.ts's: tfc 784-64-64-64-10 with BN, cnn conv3x3x8-BN-ReLU-pool-conv3x3x16-BN-ReLU-
pool-dense10. infer-graph: the network a JSON file describes layer by layer (bench/peers/pytorch.ts writes it from
one of our int8 models, an imported MLPerf Tiny model say: type, shapes NHWC, kernel, strides, padding, fused ReLU,
inputs), built with random weights and converted to int8 the same way, calibrated and timed on uniform random
inputs (the weights and values do not change the work; the shapes, and so the MACs, are the model's).
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.ao.quantization as tq
import torch.ao.nn.intrinsic as nni
import torch.ao.nn.quantized as nnq


def read_idx(path):
    with open(path, 'rb') as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv1, self.bn1, self.relu1 = nn.Conv2d(1, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU()
        self.pool1 = nn.MaxPool2d(2)
        self.conv2, self.bn2, self.relu2 = nn.Conv2d(8, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU()
        self.pool2 = nn.MaxPool2d(2)
        self.fc = nn.Linear(7 * 7 * 16, 10)
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        x = self.quant(x)
        x = self.pool1(self.relu1(self.bn1(self.conv1(x))))
        x = self.pool2(self.relu2(self.bn2(self.conv2(x))))
        return self.dequant(self.fc(torch.flatten(x, 1)))

    fuse = [['conv1', 'bn1', 'relu1'], ['conv2', 'bn2', 'relu2']]


class Tfc(nn.Module):
    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        for i, n in enumerate([784, 64, 64], start=1):
            setattr(self, f'fc{i}', nn.Linear(n, 64, bias=False))
            setattr(self, f'bn{i}', nn.BatchNorm1d(64))
            setattr(self, f'relu{i}', nn.ReLU())
        self.fc4 = nn.Linear(64, 10)
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        x = self.quant(torch.flatten(x, 1))
        for i in (1, 2, 3):
            x = getattr(self, f'relu{i}')(getattr(self, f'bn{i}')(getattr(self, f'fc{i}')(x)))
        return self.dequant(self.fc4(x))

    # PyTorch 1.13 fuses Linear with BatchNorm1d, but not the three with ReLU
    fuse = [['fc1', 'bn1'], ['fc2', 'bn2'], ['fc3', 'bn3']]


def network(name):
    return Cnn() if name == 'cnn' else Tfc()


def images(data_dir, split):
    prefix = 'train' if split == 'train' else 't10k'
    x = read_idx(os.path.join(data_dir, f'{prefix}-images-idx3-ubyte')).astype(np.float32) / 255.0
    y = read_idx(os.path.join(data_dir, f'{prefix}-labels-idx1-ubyte')).astype(np.int64)
    return torch.from_numpy(x).unsqueeze(1), torch.from_numpy(y)


def engine(requested):
    supported = torch.backends.quantized.supported_engines
    for e in ([requested] if requested else []) + ['onednn', 'fbgemm', 'x86', 'qnnpack']:
        if e in supported:
            return e
    raise SystemExit(f'no quantized engine among {supported}')


def train(a):
    x, y = images(a.data, 'train')
    torch.manual_seed(1)
    net = network(a.network)
    eng = engine(a.engine)
    if a.mode == 'qat':
        torch.backends.quantized.engine = eng
        net.eval()
        net = tq.fuse_modules_qat(net, net.fuse) if hasattr(tq, 'fuse_modules_qat') else tq.fuse_modules(net, net.fuse)
        net.qconfig = tq.get_default_qat_qconfig(eng)
        net.train()
        tq.prepare_qat(net, inplace=True)
    net.train()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    n = x.shape[0]
    perm = torch.randperm(n)

    def step(i):
        idx = perm[(i * a.batch) % (n - a.batch):][:a.batch]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(x[idx]), y[idx])
        loss.backward()
        opt.step()
        return loss

    for i in range(20):
        step(i)
    t0, c0 = time.perf_counter(), time.process_time()
    for i in range(a.steps):
        step(20 + i)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {'secondsPerStep': wall / a.steps, 'cpuSecondsPerStep': cpu / a.steps, 'engine': eng if a.mode == 'qat' else None}


def infer(a):
    x, _ = images(a.data, 'test')
    xt, _ = images(a.data, 'train')
    torch.manual_seed(1)
    eng = engine(a.engine)
    torch.backends.quantized.engine = eng
    net = network(a.network).eval()
    net = tq.fuse_modules(net, net.fuse)
    net.qconfig = tq.get_default_qconfig(eng)
    tq.prepare(net, inplace=True)
    with torch.no_grad():
        net(xt[:512])
    tq.convert(net, inplace=True)
    count = min(a.images, x.shape[0])
    return time_inference(net, x[:count], a.batch, a.rounds) | {'engine': eng}


def torch_shape(shape):
    """Our NHWC shape (batch excluded) in PyTorch's NCHW order."""
    return [shape[2], shape[0], shape[1]] if len(shape) == 3 else list(shape)


def same_padding(size, kernel, stride, out):
    """Symmetric padding giving TF's 'same' output size (TF pads the odd pixel at the end: same MACs, not same sums)."""
    total = max((out - 1) * stride + kernel - size, 0)
    pad = (total + 1) // 2
    if (size + 2 * pad - kernel) // stride + 1 != out:
        raise SystemExit(f"no symmetric padding gives 'same' output {out} from {size} (kernel {kernel}, stride {stride})")
    return pad


class Graph(nn.Module):
    """Eager-mode network of the JSON layers: quantized modules, FloatFunctional for ADD, softmax in float."""

    def __init__(self, graph):
        super().__init__()
        self.layers = graph['layers']
        self.quant = tq.QuantStub()
        self.dequant = tq.DeQuantStub()
        self.mods = nn.ModuleDict()
        for l in self.layers:
            t, key = l['type'], self.key(l)
            if t in ('conv2d', 'depthwise2d'):
                (h, w, cin), (oh, ow, cout) = l['inputShape'], l['outputShape']
                (kh, kw), (sh, sw) = l['kernel'], l['strides']
                pad = (same_padding(h, kh, sh, oh), same_padding(w, kw, sw, ow)) if l['padding'] == 'same' else (0, 0)
                conv = nn.Conv2d(cin, cout, (kh, kw), (sh, sw), pad, groups=cin if t == 'depthwise2d' else 1)
                self.mods[key] = nni.ConvReLU2d(conv, nn.ReLU()) if l['relu'] else conv
            elif t == 'dense':
                lin = nn.Linear(l['inputShape'][-1], l['outputShape'][-1])
                self.mods[key] = nni.LinearReLU(lin, nn.ReLU()) if l['relu'] else lin
            elif t in ('maxpool2d', 'avgpool2d'):
                if l['padding'] != 'valid':
                    raise SystemExit(f"layer {l['name']}: only 'valid' pooling is built here")
                pool = nn.MaxPool2d if t == 'maxpool2d' else nn.AvgPool2d
                self.mods[key] = pool(tuple(l['pool']), tuple(l['strides']))
            elif t == 'add':
                self.mods[key] = nnq.FloatFunctional()
            elif t not in ('flatten', 'reshape', 'softmax'):
                raise SystemExit(f"layer {l['name']}: type {t} is not built here")

    @staticmethod
    def key(layer):
        return 'l_' + ''.join(c if c.isalnum() else '_' for c in layer['name'])

    def forward(self, x):
        values = {'input': self.quant(x)}
        last = 'input'
        for l in self.layers:
            ins = [values[i] for i in (l.get('inputs') or [last])]
            t = l['type']
            if t == 'add':
                f = self.mods[self.key(l)]
                y = f.add_relu(ins[0], ins[1]) if l['relu'] else f.add(ins[0], ins[1])
            elif t in ('flatten', 'reshape'):
                y = ins[0].reshape([ins[0].shape[0]] + torch_shape(l['outputShape']))
            elif t == 'softmax':
                y = torch.softmax(self.dequant(ins[0]), dim=-1)
            else:
                y = self.mods[self.key(l)](ins[0])
            values[l['name']] = y
            last = l['name']
        y = values[last]
        return self.dequant(y) if y.is_quantized else y


def infer_graph(a):
    with open(a.graph) as f:
        graph = json.load(f)
    torch.manual_seed(1)
    eng = engine(a.engine)
    torch.backends.quantized.engine = eng
    net = Graph(graph).eval()
    shape = torch_shape(graph['inputShape'])
    net.qconfig = tq.get_default_qconfig(eng)
    tq.prepare(net, inplace=True)
    with torch.no_grad():
        net(torch.rand([64] + shape))
    tq.convert(net, inplace=True)
    x = torch.rand([a.images] + shape)
    return time_inference(net, x, a.batch, a.rounds) | {'engine': eng, 'graph': graph.get('name')}


def time_inference(net, x, batch, rounds):
    count = x.shape[0]
    with torch.inference_mode():
        for s in range(0, min(count, 4 * batch), batch):
            net(x[s:s + batch])
        best, best_cpu = 0.0, 0.0
        for _ in range(rounds):
            t0, c0 = time.perf_counter(), time.process_time()
            for s in range(0, count, batch):
                net(x[s:s + batch])
            best = max(best, count / (time.perf_counter() - t0))
            best_cpu = max(best_cpu, count / (time.process_time() - c0))
    return {'imagesPerSecond': best, 'imagesPerCpuSecond': best_cpu}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('task', choices=['train', 'infer', 'infer-graph'])
    p.add_argument('--network', choices=['cnn', 'tfc'])
    p.add_argument('--graph', help='infer-graph: the JSON layers of the network')
    p.add_argument('--mode', choices=['float', 'qat'], default='float')
    p.add_argument('--steps', type=int, default=100)
    p.add_argument('--batch', type=int, default=64)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--images', type=int, default=10000)
    p.add_argument('--rounds', type=int, default=3)
    p.add_argument('--engine', default='')
    p.add_argument('--data')
    a = p.parse_args()
    if a.task == 'infer-graph':
        if not a.graph:
            p.error('infer-graph needs --graph')
    elif not a.network or not a.data:
        p.error(f'{a.task} needs --network and --data')
    torch.set_num_threads(a.threads)
    out = train(a) if a.task == 'train' else infer(a) if a.task == 'infer' else infer_graph(a)
    out.update({'task': a.task, 'network': a.network, 'mode': a.mode, 'batch': a.batch, 'threads': torch.get_num_threads(), 'torch': torch.__version__})
    json.dump(out, sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
