// Cross-boundary mode (跨界): choose a neighbour city → only the rivers shared with it, their
// crossings, and for staff and that city's viewer: boundary reaches with coverage,
// near-boundary problems, agreements and meetings, and the printable joint-meeting brief.
import { api, qs } from './api.js';
import { state, h, can, on, emit } from './state.js';
import { t, pct, km, onLangChange } from './i18n.js';
import { openPanel, section, errorText, setView, closePanel } from './panel.js';
import { setRiverFilter, COLOURS } from './layers/rivers.js';
import { summary } from './layers/crossings.js';
import { problemItem } from './panels/problem.js';
import { areasData } from './layers/areas.js';
import { neighborWaterQualityBlocks } from './water-quality/panels.js';
import { openLink } from './wb/open.js';
import { mayUse } from './wb/access.js';

const L = window.L;
let highlight = null;

function fillSelect() {
  const sel = document.getElementById('neighbor-select');
  const keep = sel.value;
  sel.replaceChildren(new Option(t('neighbor.none'), ''));
  for (const n of summary.filter((x) => (x.rivers || []).length)) sel.append(new Option(`${t('neighbor.title', { name: n.neighbor_name })}`, n.neighbor_code));
  sel.value = keep;
  sel.hidden = summary.length === 0;
}

function mayViewDetails(code) {
  // A neighbour city's viewer sees its own city only; staff as the role matrix says.
  if (state.user?.role === 'neighbor_viewer') return state.user.neighbor_code === code;
  return mayUse('cross_boundary.view');
}

let reachLayer = null;

/** Boundary reaches (within the buffer of the shared border) drawn by their coverage. */
function drawReaches(reaches) {
  if (reachLayer) state.map.removeLayer(reachLayer);
  reachLayer = L.geoJSON({ type: 'FeatureCollection', features: reaches.map((r) => ({ type: 'Feature', geometry: r.geometry, properties: r })) }, {
    pane: 'tracks',
    style: (f) => ({ color: f.properties.coverage > 0 ? COLOURS.covered : COLOURS.uncovered, weight: 9, opacity: 0.35, className: 'reach' }),
    onEachFeature: (f, lyr) => lyr.bindTooltip(`${f.properties.river_name} · ${f.properties.county_name} · ${pct(f.properties.coverage)}`, { sticky: true }),
  }).addTo(state.map);
}

async function detailBlocks(code) {
  if (!can('cross_boundary_view') || !mayViewDetails(code)) return [];
  const p = state.period;
  const view = await api(`/api/v1/cross-boundary/${code}${qs({ from: p.from, to: p.to })}`);
  const blocks = [];
  const reaches = view.reaches || [];
  drawReaches(reaches);
  const rc = view.reach_coverage;
  blocks.push(section(`${t('neighbor.reaches')} (${view.buffer_km} km)`,
    rc ? h('p', { class: 'big' }, `${pct(rc.coverage)} · ${km(rc.covered_km)} / ${km(rc.length_km)}`) : '',
    h('ul', { class: 'plain reaches' }, reaches.map((r) => h('li', {},
      `${r.river_name} · ${r.county_name} · ${km(r.length_km)} · ${pct(r.coverage)}`)))));
  blocks.push(...neighborWaterQualityBlocks(view.water_quality));
  const problems = view.problems || [];
  blocks.push(section(`${t('neighbor.problems')} (${problems.length})`, problems.length
    ? h('ul', { class: 'plain' }, problems.slice(0, 30).map(problemItem)) : h('p', { class: 'muted' }, t('common.none'))));
  if ((view.agreements || []).length) {
    blocks.push(section(t('neighbor.agreements'), h('ul', { class: 'plain' }, view.agreements.map((a) => h('li', {},
      `${a.title}${a.signed_on ? ` · ${a.signed_on}` : ''}`)))));
  }
  if ((view.meetings || []).length) {
    blocks.push(section(t('neighbor.meetings'), h('ul', { class: 'plain' }, view.meetings.map((m) => h('li', {},
      `${m.held_on} · ${m.title ?? ''} · ${m.place ?? ''} · ${m.convener_name ?? m.convener_code ?? ''}`)))));
  }
  if ((view.open_action_items || []).length) {
    blocks.push(section(t('neighbor.items'), h('ul', { class: 'plain' }, view.open_action_items.map((i) => h('li', {},
      `${i.title} · ${i.state_label ?? i.state}${i.due_date ? ` · ${t('todo.due', { d: i.due_date })}` : ''}`)))));
  }
  if (can('cross_boundary_brief')) {
    // A button, not a link: a plain link carries no token (single-use link, static/js/wb/open.js).
    const path = `/api/v1/cross-boundary/${code}/brief${qs({ from: p.from, to: p.to })}`;
    blocks.push(h('p', {}, h('button', { type: 'button', class: 'button brief', onclick: () => openLink(path) }, t('neighbor.brief'))));
  }
  return blocks;
}

async function enter(code) {
  const n = summary.find((x) => x.neighbor_code === code);
  if (!n) return;
  state.neighbor = code;
  document.body.classList.add('neighbor-mode');
  setRiverFilter(n.rivers.map((r) => r.river_id));
  if (highlight) state.map.removeLayer(highlight);
  const area = areasData()?.features.find((f) => f.properties.code === code);
  if (area) {
    highlight = L.geoJSON(area, { pane: 'areas', interactive: false, style: { color: '#e65100', weight: 2.5, fillOpacity: 0.08 } }).addTo(state.map);
    state.map.fitBounds(highlight.getBounds().pad(0.1));
  }
  const rivers = n.rivers.map((r) => h('li', { class: 'shared-river', 'data-river': r.river_id },
    h('a', { href: `#river-${r.river_id}`, onclick: (e) => { e.preventDefault(); emit('river:open', { id: r.river_id }); } }, r.name),
    ` · ${(r.crossings || []).map((c) => c.direction).join('、')}`,
    r.along_border_km ? ` · ${km(r.along_border_km)}` : '', r.upstream_city || r.downstream_city ? ` · ${r.upstream_city ?? '—'} → ${r.downstream_city ?? '—'}` : ''));
  const placeholder = h('div', { class: 'async' });
  openPanel(t('neighbor.title', { name: n.neighbor_name }),
    n.shared_border_km != null ? h('p', {}, t('neighbor.border', { km: Number(n.shared_border_km).toFixed(1) })) : '',
    section(`${t('neighbor.shared')} (${n.rivers.length})`, h('ul', { class: 'plain' }, rivers)), placeholder);
  try { placeholder.replaceChildren(...await detailBlocks(code)); } catch (err) { placeholder.replaceChildren(h('p', { class: 'error' }, errorText(err))); }
}

function leave() {
  state.neighbor = null;
  document.body.classList.remove('neighbor-mode');
  setRiverFilter(null);
  if (highlight) state.map.removeLayer(highlight);
  if (reachLayer) state.map.removeLayer(reachLayer);
  highlight = null;
  reachLayer = null;
  closePanel();
}

export function initNeighbor() {
  if (!can('cross_boundary')) return;
  const sel = document.getElementById('neighbor-select');
  fillSelect();
  // A neighbour viewer opens straight into its own city's view.
  if (state.user?.role === 'neighbor_viewer' && state.user.neighbor_code) sel.value = state.user.neighbor_code;
  const apply = () => (sel.value ? setView(() => enter(sel.value)) : leave());
  sel.addEventListener('change', apply);
  on('neighbor:clicked', (p) => { if (summary.some((x) => x.neighbor_code === p.code)) { sel.value = p.code; apply(); } });
  on('auth:changed', () => { if (state.neighbor) apply(); });
  on('period:changed', () => { if (state.neighbor) apply(); });
  onLangChange(fillSelect);
  if (sel.value) apply();
}
