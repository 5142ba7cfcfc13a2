/**
 * Colours of the report: one fixed colour per flow stage (so a stage looks the same in every chart) and
 * sequential scales for heatmaps.
 */
import type { AccuracyStage } from '../types.ts';

export const STAGE_COLORS: Record<AccuracyStage, string> = {
  float: '#4e79a7',
  ptq: '#e15759',
  qat: '#f28e2b',
  integer: '#76b7b2',
  hwsim: '#59a14f',
  rtl: '#b07aa1',
};

export const STAGE_LABELS: Record<AccuracyStage, string> = {
  float: 'float',
  ptq: 'PTQ',
  qat: 'QAT',
  integer: 'integer',
  hwsim: 'hw-sim',
  rtl: 'RTL',
};

type Rgb = [number, number, number];

function hex(c: string): Rgb {
  const n = parseInt(c.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function ramp(stops: string[]): (t: number) => string {
  const rgb = stops.map(hex);
  return (t) => {
    const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (rgb.length - 1);
    const i = Math.min(rgb.length - 2, Math.floor(x));
    const f = x - i;
    const a = rgb[i] as Rgb;
    const b = rgb[i + 1] as Rgb;
    const c = a.map((v, k) => Math.round(v + ((b[k] as number) - v) * f));
    return `rgb(${c.join(',')})`;
  };
}

/** Viridis (perceptually uniform, readable in grey): 0 dark purple .. 1 yellow. */
export const viridis = ramp(['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725']);

/** White to deep blue, for counts. */
export const blues = ramp(['#f7fbff', '#deebf7', '#c6dbef', '#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b']);

/** Text colour that reads on a viridis cell of value t. */
export function onViridis(t: number): string {
  return t > 0.62 ? '#1b1b1b' : '#ffffff';
}

export function onBlues(t: number): string {
  return t > 0.5 ? '#ffffff' : '#1b1b1b';
}
