/**
 * A tiny string builder for SVG and HTML: escaped text and attributes, no DOM. Every chart of the report is
 * built with it in Node, so the page needs no script to draw.
 */
export type Attrs = Record<string, string | number | boolean | undefined>;

export function esc(s: string | number): string {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Rounds coordinates so that the markup stays small. */
export function r2(x: number): number {
  return Math.round(x * 100) / 100;
}

function attrs(a: Attrs): string {
  let s = '';
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined || v === false) continue;
    // Geometry is rounded to keep the markup small; data attributes keep the exact value.
    s += v === true ? ` ${k}` : ` ${k}="${esc(typeof v === 'number' && !k.startsWith('data-') ? r2(v) : v)}"`;
  }
  return s;
}

/** An element; children are already-built markup strings. */
export function el(tag: string, a: Attrs = {}, ...children: string[]): string {
  return `<${tag}${attrs(a)}>${children.join('')}</${tag}>`;
}

/** Text content, escaped. */
export function text(tag: string, a: Attrs, content: string | number): string {
  return `<${tag}${attrs(a)}>${esc(content)}</${tag}>`;
}

/** A native tooltip for the enclosing SVG element. */
export function title(s: string): string {
  return `<title>${esc(s)}</title>`;
}

/** Horizontal grid lines at the y ticks, each with its label left of the plot area (x from left to right). */
export function yGrid(ticks: number[], y: (v: number) => number, left: number, right: number, label: (v: number) => string): string[] {
  return ticks.flatMap((t) => [
    el('line', { class: 'grid', x1: left, x2: right, y1: y(t), y2: y(t) }),
    text('text', { class: 'tick', x: left - 6, y: y(t) + 4, 'text-anchor': 'end' }, label(t)),
  ]);
}

/** The y axis title, written upwards along the left edge, centred on `mid`. */
export function yTitle(label: string, mid: number): string {
  return text('text', { class: 'axis-label', x: 14, y: mid, 'text-anchor': 'middle', transform: `rotate(-90 14 ${r2(mid)})` }, label);
}
