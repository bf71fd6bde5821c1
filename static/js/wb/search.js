// One search box (issue 15 item 7): rivers, counties, officials and problems (by id or tracking
// code) from GET /api/v1/search?q=, listed under the box and shown on the map.
//
// API
//   import { initSearch, showResult } from '/static/js/wb/search.js';
//   nav.append(initSearch());       // a <form role=search> with the box 地图搜索 and its results
//   showResult(item)                // fit the map to the item, mark it, and open its panel
// The server answers { items: [{ kind, id, label, bbox?: [w,s,e,n], point?: [lon,lat] }] } or a
// bare array of such items.
import { api, qs } from '../api.js';
import { h, state, emit } from '../state.js';
import { wt } from './text.js';
import { onLangChange } from '../i18n.js';

const L = window.L;
let marker = null;

function clearMark() {
  if (marker && state.map) state.map.removeLayer(marker);
  marker = null;
}

/** Put the item on the map: a box for areas and rivers, a ring for points. */
export function showResult(item) {
  const map = state.map;
  clearMark();
  if (map && item.bbox) {
    const [w, s, e, n] = item.bbox;
    const bounds = L.latLngBounds([s, w], [n, e]);
    marker = L.rectangle(bounds, { pane: 'overlayPane', color: '#e65100', weight: 2, fill: false, dashArray: '6 4', interactive: false, className: 'wb-search-mark' }).addTo(map);
    map.fitBounds(bounds.pad(0.1));
  } else if (map && item.point) {
    const [lon, lat] = item.point;
    marker = L.circleMarker([lat, lon], { radius: 14, color: '#e65100', weight: 3, fill: false, interactive: false, className: 'wb-search-mark' }).addTo(map);
    map.setView([lat, lon], Math.max(map.getZoom(), 13));
  }
  if (item.kind === 'problem') emit('problem:open', { id: Number(item.id) });
  else if (item.kind === 'river') emit('river:open', { id: Number(item.id) });
  else if (item.kind === 'county') emit('county:open', { code: String(item.id), name: item.label });
}

export function initSearch() {
  const input = h('input', { type: 'search', id: 'wb-search-q', 'aria-label': wt('gsearch.label'), placeholder: wt('gsearch'), autocomplete: 'off' });
  const results = h('ul', { class: 'plain wb-search-results', 'aria-label': wt('gsearch.results'), hidden: true });
  const note = h('p', { class: 'muted', role: 'status' });
  let seq = 0;
  const form = h('form', { class: 'wb-search', role: 'search' }, input, note, results);
  onLangChange(() => {
    input.setAttribute('aria-label', wt('gsearch.label'));
    input.placeholder = wt('gsearch');
    results.setAttribute('aria-label', wt('gsearch.results'));
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const q = input.value.trim();
    if (!q) { results.hidden = true; note.textContent = ''; return; }
    const mine = ++seq;
    note.textContent = wt('loading');
    let items = [];
    try {
      const data = await api(`/api/v1/search${qs({ q })}`);
      items = Array.isArray(data) ? data : data?.items ?? [];
    } catch (err) {
      if (mine === seq) note.textContent = wt('error', { msg: err.message });
      return;
    }
    if (mine !== seq) return;
    note.textContent = items.length ? '' : wt('gsearch.none', { q });
    results.replaceChildren(...items.map((it) => h('li', {},
      h('button', { type: 'button', class: 'linklike', onclick: () => showResult(it) },
        `${wt(`kind.${it.kind}`)} · ${it.label}`))));
    results.hidden = !items.length;
    if (items.length === 1) showResult(items[0]);
  });
  return form;
}
