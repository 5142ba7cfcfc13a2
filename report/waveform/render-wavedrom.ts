/**
 * Renders WaveDrom JSON to an SVG string in Node with the wavedrom package's own renderer (`renderAny` builds an
 * onml tree, `onml.stringify` prints it), then marks one cycle: a translucent red band across every lane, placed
 * from the rendered tree's own tick labels so that it lines up whatever the skin and scale.
 */
import { createRequire } from 'node:module';
import type { WaveDromSource } from './build-wavedrom.ts';

type Onml = [string, Record<string, unknown>, ...unknown[]] | [string];

interface WaveDromLib {
  renderAny(index: number, source: unknown, skins: unknown): Onml;
  onml: { stringify(tree: unknown): string };
  /** The default skin, as `{ default: <onml template> }`. */
  waveSkin: Record<string, unknown>;
}

let wavedrom: WaveDromLib | undefined;
function lib(): WaveDromLib {
  wavedrom ??= createRequire(import.meta.url)('wavedrom') as WaveDromLib;
  return wavedrom;
}

function children(n: unknown[]): unknown[] {
  return n.slice(typeof n[1] === 'object' && n[1] !== null && !Array.isArray(n[1]) ? 2 : 1);
}

function findById(n: unknown, id: string): unknown[] | undefined {
  if (!Array.isArray(n)) return undefined;
  if ((n[1] as Record<string, unknown> | undefined)?.id === id) return n;
  for (const c of children(n)) {
    const hit = findById(c, id);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** x of each tick label (cycle number -> x) inside the lanes group. */
function tickPositions(lanes: unknown[]): Map<number, number> {
  const out = new Map<number, number>();
  const visit = (n: unknown): void => {
    if (!Array.isArray(n)) return;
    const attrs = n[1] as Record<string, unknown> | undefined;
    if (n[0] === 'text' && typeof attrs?.x === 'number' && typeof n[2] === 'string' && /^-?\d+$/.test(n[2])) out.set(Number(n[2]), attrs.x);
    children(n).forEach(visit);
  };
  visit(lanes);
  return out;
}

/** Height of the lanes area: the grid lines WaveDrom draws at every tick span it. */
function lanesHeight(lanes: unknown[]): number {
  const marks = findById(lanes, 'gmark_0_0');
  const y2 = (marks?.[1] as Record<string, unknown> | undefined)?.y2;
  return typeof y2 === 'number' ? y2 : 0;
}

export function renderWaveDrom(source: WaveDromSource, markCycle?: number): string {
  const { renderAny, onml, waveSkin } = lib();
  // renderAny writes into the skin it is given: hand it a copy.
  const skins = structuredClone(waveSkin);
  const tree = renderAny(0, structuredClone(source), skins);
  const lanes = findById(tree, 'lanes_0');
  if (markCycle !== undefined && lanes !== undefined) {
    const ticks = tickPositions(lanes);
    const x0 = ticks.get(markCycle);
    const x1 = ticks.get(markCycle + 1) ?? (x0 === undefined ? undefined : x0 + (x0 - (ticks.get(markCycle - 1) ?? x0 - 40)));
    if (x0 !== undefined && x1 !== undefined) {
      const h = lanesHeight(lanes);
      // Insert after the grid group so that the lanes draw on top of the band.
      lanes.splice(3, 0, ['g', { class: 'mismatch-mark' },
        ['rect', { x: x0, y: -2, width: x1 - x0, height: h + 4, fill: '#e03131', 'fill-opacity': 0.16, stroke: '#e03131', 'stroke-width': 1 }],
      ]);
    }
  }
  return onml.stringify(tree);
}
