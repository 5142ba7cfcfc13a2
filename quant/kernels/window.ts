/**
 * The window of a pooling op at one output position, clipped to the input: TFLite's pooling kernels start the
 * window at (out * stride - padBefore) and skip the positions outside the input (a 'same' pool counts only the
 * positions inside, and pads nothing).
 */
import type { ConvGeometry } from '../format/shapes.ts';

export interface ClippedWindow {
  yStart: number;
  yEnd: number;
  xStart: number;
  xEnd: number;
}

export function clippedWindow(g: ConvGeometry, oy: number, ox: number, w: ClippedWindow): ClippedWindow {
  const y0 = oy * g.strideH - g.padTop;
  const x0 = ox * g.strideW - g.padLeft;
  w.yStart = Math.max(0, y0);
  w.yEnd = Math.min(g.inH, y0 + g.kh);
  w.xStart = Math.max(0, x0);
  w.xEnd = Math.min(g.inW, x0 + g.kw);
  return w;
}

/**
 * Calls visit(base, w, o) for every output position of `batch` NHWC images, in output order: base is the offset of
 * the position's image in the input, w its clipped window, o the output index of its channel 0.
 */
export function forEachWindow(g: ConvGeometry, batch: number, visit: (base: number, w: ClippedWindow, o: number) => void): void {
  const w: ClippedWindow = { yStart: 0, yEnd: 0, xStart: 0, xEnd: 0 };
  let o = 0;
  for (let b = 0; b < batch; b++) {
    const base = b * g.inH * g.inW * g.inC;
    for (let oy = 0; oy < g.outH; oy++) {
      for (let ox = 0; ox < g.outW; ox++, o += g.inC) visit(base, clippedWindow(g, oy, ox, w), o);
    }
  }
}
