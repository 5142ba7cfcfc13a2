/**
 * A conv layer's im2col (quant/format/im2col.ts: the one definition of the patch order) as an index map: for each
 * entry i of X[M, K], the input element it copies, or -1 where it is padding. Made by im2col itself, on probe
 * inputs: the index's three bytes, and a marker that is 1 at every input element and 0 in the padding.
 */
import { ShapeError } from '../../quant/errors.ts';
import { im2col, im2colCols, im2colRows } from '../../quant/format/im2col.ts';
import type { ConvGeometry } from '../../quant/format/shapes.ts';

export function im2colMap(g: ConvGeometry): Int32Array {
  const size = g.inH * g.inW * g.inC;
  if (size > 1 << 24) throw new ShapeError(`im2colMap: an input of [${g.inH}, ${g.inW}, ${g.inC}] has more than 2^24 elements`);
  const probe = (f: (i: number) => number): Int8Array => im2col(Int8Array.from({ length: size }, (_, i) => f(i)), g, 0);
  const bytes = [0, 8, 16].map((s) => probe((i) => ((i >> s) & 0xff) - 128));
  const real = probe(() => 1);
  const map = new Int32Array(im2colRows(g) * im2colCols(g));
  for (let i = 0; i < map.length; i++) {
    map[i] = real[i] === 1 ? bytes.reduce((v, b, j) => v + (((b[i] as number) + 128) << (8 * j)), 0) : -1;
  }
  return map;
}
