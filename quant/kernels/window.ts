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
