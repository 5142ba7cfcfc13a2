/**
 * The trained models out as .tflite, on the full 10,000-image test sets: for each network of the accuracy table
 * (bench/train.bench.ts CONFIGS, seed 1; the model from ensureTrainedModel's cache, trained once when missing),
 * exportTflite -> writeTflite -> TFLite's own runtime (tfjs-tflite-node, TF 2.9) on every test image, against the
 * golden model in the tflite-runtime arithmetic on the same int8 codes: every logit byte compared, and the accuracy
 * of the .tflite in the runtime beside the golden model's in the model's own rounding ('single') and in TFLite's.
 * TFLITE_BENCH=cnn-w8a8,cnn-w8a8-fashion (ids of CONFIGS) runs a subset; training a missing model takes minutes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTrainedModel } from '../model/ensure.ts';
import { loadDataset } from '../model/data/dataset.ts';
import { repoRoot } from '../model/paths.ts';
import { exportTflite } from '../model/tflite/export-tflite.ts';
import { openTfliteRuntime } from '../model/tflite/runtime.ts';
import { writeTflite } from '../model/tflite/write-tflite.ts';
import { readModel } from '../quant/format/read.ts';
import { argmax, GoldenModel, pixelTable, quantizeImage } from '../quant/golden/index.ts';
import type { BenchResult, Figure } from './result.ts';
import { CONFIGS } from './train.bench.ts';

interface Row {
  id: string;
  images: number;
  bytes: number;
  bytesDiffering: number;
  imagesDiffering: number;
  accuracy: { golden: number; goldenTfliteRuntime: number; tfliteRuntime: number };
  fileBytes: number;
  operators: string[];
  runtimeMsPerImage: number;
}

const pct = (x: number): string => (x * 100).toFixed(2);

export default async function bench(): Promise<BenchResult> {
  const only = process.env.TFLITE_BENCH?.split(',');
  const configs = CONFIGS.filter((c) => only === undefined || only.includes(c.id));
  const rows: Row[] = [];
  for (const c of configs) {
    const { modelDir, cached } = await ensureTrainedModel({ ...c.opts, seed: 1, log: (m) => console.error(`[tflite bench] ${c.id}: ${m}`) });
    const model = readModel(modelDir);
    const graph = exportTflite(model);
    const bytes = writeTflite(graph);
    const test = loadDataset(c.opts.dataset).test;
    const size = model.input.shape.reduce((a, b) => a * b, 1);
    const n = test.labels.length;
    const codes = quantizeImage(model, test.images.subarray(0, n * size), pixelTable(model));
    const golden = new GoldenModel(model);
    const rt = await openTfliteRuntime(bytes);
    const k = model.classes;
    let bytesDiffering = 0;
    let imagesDiffering = 0;
    const correct = { golden: 0, goldenTfliteRuntime: 0, tfliteRuntime: 0 };
    let runtimeMs = 0;
    try {
      for (let start = 0; start < n; start += 16) {
        const batch = Math.min(16, n - start);
        const x = codes.subarray(start * size, (start + batch) * size);
        const own = golden.run(x, { batch }).output;
        const want = golden.run(x, { batch, arithmetic: 'tflite-runtime' }).output;
        for (let i = 0; i < batch; i++) {
          const t = performance.now();
          const got = rt.run(x.subarray(i * size, (i + 1) * size));
          runtimeMs += performance.now() - t;
          let differs = 0;
          for (let j = 0; j < k; j++) if (got[j] !== want[i * k + j]) differs++;
          bytesDiffering += differs;
          if (differs > 0) imagesDiffering++;
          const label = test.labels[start + i];
          if (argmax(got) === label) correct.tfliteRuntime++;
          if (argmax(want, i * k, k) === label) correct.goldenTfliteRuntime++;
          if (argmax(own, i * k, k) === label) correct.golden++;
        }
      }
    } finally {
      rt.close();
    }
    const row: Row = {
      id: c.id, images: n, bytes: n * k, bytesDiffering, imagesDiffering, fileBytes: bytes.length,
      accuracy: { golden: correct.golden / n, goldenTfliteRuntime: correct.goldenTfliteRuntime / n, tfliteRuntime: correct.tfliteRuntime / n },
      operators: graph.operators.map((o) => o.opcode), runtimeMsPerImage: runtimeMs / n,
    };
    rows.push(row);
    console.error(
      `[tflite bench] ${c.id}${cached ? ' (cached model)' : ''}: ${n} images, ${row.bytes} logit bytes, ${bytesDiffering} differing; ` +
        `accuracy: golden ${pct(row.accuracy.golden)} (${model.roundingMode}), golden ${pct(row.accuracy.goldenTfliteRuntime)} (tflite-runtime), .tflite in TFLite's runtime ${pct(row.accuracy.tfliteRuntime)}`,
    );
  }
  const outDir = join(repoRoot, 'out', 'bench');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'tflite-rows.json'), JSON.stringify(rows, null, 2));
  const figures: Figure[] = rows.flatMap((r) => [
    { label: `${r.id} .tflite accuracy in TFLite's runtime`, value: r.accuracy.tfliteRuntime * 100, unit: '%', note: `golden ${pct(r.accuracy.golden)}% single, ${pct(r.accuracy.goldenTfliteRuntime)}% tflite-runtime` },
    { label: `${r.id} logit bytes differing (runtime vs golden)`, value: r.bytesDiffering, unit: 'bytes', higherIsBetter: false, note: `of ${r.bytes}; must be 0` },
  ]);
  return { name: 'tflite', figures, details: { rows } };
}
