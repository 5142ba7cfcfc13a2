#!/usr/bin/env python3
"""PyTorch peer of the benchmarks (issue 17): the same networks, data, batch and thread count as ours, timed in
the same run, so that the figure is our time over PyTorch's. Debian's python3-torch (1.13, CPU).

  torch_peer.py train --network cnn|tfc --mode float|qat --steps N --batch 64 --threads T --data DIR
  torch_peer.py infer --network cnn|tfc --batch 256 --threads T --images N --data DIR

train: N timed steps of Adam (lr 1e-3) on MNIST's training images after 20 warm-up steps; qat is eager-mode
quantization-aware training (torch.ao.quantization, conv+BN+ReLU fused, per-channel int8 weights, int8
activations). infer: the network converted to int8 (PTQ, 512 calibration images) in the quantized engine named
by --engine (default onednn, else fbgemm), images per second (wall and CPU) over N test images at the batch. Prints one JSON object.
The networks are model/net/spec.ts's: tfc 784-64-64-64-10 with BN, cnn conv3x3x8-BN-ReLU-pool-conv3x3x16-BN-ReLU-
pool-dense10.
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
    x = x[:count]
    with torch.inference_mode():
        for s in range(0, min(count, 4 * a.batch), a.batch):
            net(x[s:s + a.batch])
        best, best_cpu = 0.0, 0.0
        for _ in range(a.rounds):
            t0, c0 = time.perf_counter(), time.process_time()
            for s in range(0, count, a.batch):
                net(x[s:s + a.batch])
            best = max(best, count / (time.perf_counter() - t0))
            best_cpu = max(best_cpu, count / (time.process_time() - c0))
    return {'imagesPerSecond': best, 'imagesPerCpuSecond': best_cpu, 'engine': eng}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('task', choices=['train', 'infer'])
    p.add_argument('--network', choices=['cnn', 'tfc'], required=True)
    p.add_argument('--mode', choices=['float', 'qat'], default='float')
    p.add_argument('--steps', type=int, default=100)
    p.add_argument('--batch', type=int, default=64)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--images', type=int, default=10000)
    p.add_argument('--rounds', type=int, default=3)
    p.add_argument('--engine', default='')
    p.add_argument('--data', required=True)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    out = train(a) if a.task == 'train' else infer(a)
    out.update({'task': a.task, 'network': a.network, 'mode': a.mode, 'batch': a.batch, 'threads': torch.get_num_threads(), 'torch': torch.__version__})
    json.dump(out, sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
