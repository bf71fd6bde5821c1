// Class by month as a grid: one row per section, one cell per month, coloured by water class
// with its numeral written in (colour is never the only cue); a plain SVG like chart.js.
import { CLASS_COLOURS, NODATA, wt } from './text.js';

const NS = 'http://www.w3.org/2000/svg';
const NUMERALS = { 1: 'I', 2: 'II', 3: 'III', 4: 'IV', 5: 'V', 6: '劣V' };

function el(tag, attrs) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** rows: the series of GET /api/v1/water-quality/series (months with ``class``). */
export function classGrid(rows, { width = 340, label = '' } = {}) {
  const months = rows[0]?.months ?? [];
  const pad = { l: 86, t: 16, r: 2, b: 4 };
  const cw = (width - pad.l - pad.r) / Math.max(months.length, 1);
  const ch = 18;
  const height = pad.t + rows.length * ch + pad.b;
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart wq-grid', role: 'img', 'aria-label': label });
  months.forEach((m, j) => {
    const text = el('text', { x: pad.l + j * cw + cw / 2, y: 11, class: 'tick', 'text-anchor': 'middle' });
    text.textContent = String(Number(m.month.slice(5, 7)));
    svg.append(text);
  });
  rows.forEach((s, i) => {
    const y = pad.t + i * ch;
    const name = el('text', { x: pad.l - 4, y: y + 13, class: 'tick', 'text-anchor': 'end' });
    name.textContent = s.name.length > 7 ? `${s.name.slice(0, 7)}…` : s.name;
    svg.append(name);
    s.months.forEach((m, j) => {
      const cls = m.class;
      const rect = el('rect', { x: pad.l + j * cw + 1, y: y + 1, width: cw - 2, height: ch - 2,
        fill: cls ? CLASS_COLOURS[cls] : NODATA, class: m.target_met === false ? 'wq-missed' : 'wq-cell' });
      const title = el('title', {});
      title.textContent = wt('chart.cell', { m: m.month.slice(0, 7), cls: cls ? wt(`class.${cls}`) : wt('nodata'),
        target: wt(`class.${s.target_class}`) });
      rect.append(title);
      svg.append(rect);
      if (cls) {
        const t = el('text', { x: pad.l + j * cw + cw / 2, y: y + 13, class: 'wq-num', 'text-anchor': 'middle' });
        t.textContent = NUMERALS[cls];
        svg.append(t);
      }
    });
  });
  return svg;
}
