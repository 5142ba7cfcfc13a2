/**
 * HTML building blocks shared by the report's sections: a section card, a "not run" notice, a table.
 */
import { el, esc, text } from '../svg/svg.ts';

export interface Cell { text: string; cls?: string; title?: string }
export type CellLike = string | number | Cell;

function cell(tag: 'td' | 'th', c: CellLike, numeric: boolean): string {
  const o: Cell = typeof c === 'object' ? c : { text: String(c) };
  const cls = [numeric ? 'num' : '', o.cls ?? ''].filter(Boolean).join(' ');
  return text(tag, { class: cls || undefined, title: o.title }, o.text);
}

/** A table; columns listed in `numeric` are right-aligned with tabular figures. */
export function table(head: string[], rows: CellLike[][], numeric: number[] = [], cls = ''): string {
  const isNum = (i: number): boolean => numeric.includes(i);
  return el('table', { class: `data ${cls}`.trim() },
    el('thead', {}, el('tr', {}, ...head.map((h, i) => cell('th', h, isNum(i))))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c, i) => cell('td', c, isNum(i)))))));
}

/** The notice of a section (or part of one) that has no data: never a fabricated chart. */
export function notRun(what: string, reason?: string): string {
  return el('div', { class: 'not-run-box', 'data-not-run': what },
    text('strong', {}, 'not run'), reason === undefined ? '' : ` \u2014 ${esc(reason)}`);
}

export function section(id: string, heading: string, sub: string, ...body: string[]): string {
  return el('section', { id, class: 'card', 'data-section': id },
    el('header', {}, text('h2', {}, heading), sub === '' ? '' : text('p', { class: 'sub' }, sub)), ...body);
}

export function figure(caption: string, chart: string, cls = ''): string {
  return el('figure', { class: cls || undefined }, chart, text('figcaption', {}, caption));
}

/** A row of key figures. */
export function stats(items: { label: string; value: string; cls?: string }[]): string {
  return el('dl', { class: 'stats' }, ...items.map((i) => el('div', { class: i.cls ? `stat ${i.cls}` : 'stat' }, text('dt', {}, i.label), text('dd', {}, i.value))));
}
