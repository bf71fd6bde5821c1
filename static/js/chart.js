// A tiny SVG bar chart (coverage by month); no chart library needed for 12 bars.
const NS = 'http://www.w3.org/2000/svg';

function el(tag, attrs) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/**
 * bars: [{ label, value (0..1 or null), title }]. Values are shares, drawn on a 0..100% axis.
 */
export function barChart(bars, { width = 300, height = 120, label = '' } = {}) {
  const pad = { l: 30, r: 4, t: 8, b: 18 };
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': label });
  const w = (width - pad.l - pad.r) / Math.max(bars.length, 1);
  const ih = height - pad.t - pad.b;
  for (const tick of [0, 0.5, 1]) {
    const y = pad.t + ih * (1 - tick);
    svg.append(el('line', { x1: pad.l, x2: width - pad.r, y1: y, y2: y, class: 'grid' }));
    const text = el('text', { x: pad.l - 3, y: y + 3, class: 'tick', 'text-anchor': 'end' });
    text.textContent = `${tick * 100}%`;
    svg.append(text);
  }
  bars.forEach((b, i) => {
    const x = pad.l + i * w;
    if (b.value != null) {
      const bh = Math.max(ih * Math.min(b.value, 1), b.value > 0 ? 1 : 0);
      const rect = el('rect', { x: x + w * 0.15, y: pad.t + ih - bh, width: w * 0.7, height: bh, class: 'bar' });
      const title = el('title', {});
      title.textContent = b.title ?? `${(b.value * 100).toFixed(1)}%`;
      rect.append(title);
      svg.append(rect);
    }
    const text = el('text', { x: x + w / 2, y: height - 5, class: 'tick', 'text-anchor': 'middle' });
    text.textContent = b.label;
    svg.append(text);
  });
  return svg;
}
