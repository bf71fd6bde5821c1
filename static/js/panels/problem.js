// Problems: the map layer (by state, overdue ones stand out) and the details panel with history.
import { api, qs } from '../api.js';
import { state, h, can, emit, on } from '../state.js';
import { t, localTime } from '../i18n.js';
import { openPanel, loading, errorText, facts, section, setView } from '../panel.js';
import { localToday } from '../period.js';
import { areasData } from '../layers/areas.js';
import { wt } from '../wb/text.js';

const L = window.L;
export const CLOSED = new Set(['closed', 'closed_not_fixed', 'duplicate']);
const NOT_RECTIFIED = new Set(['reported', 'assigned', 'rectifying', 'reopened']);
const OPEN = ['reported', 'assigned', 'rectifying', 'rectified', 'verified', 'reopened'];
let layer = null;
let data = null;

/** The public's features carry the problem id on the feature only (not in properties). */
function withId(f) {
  return f.properties.id === undefined ? { ...f, properties: { ...f.properties, id: f.id } } : f;
}

export function isOverdue(p) {
  if (typeof p.overdue === 'boolean') return p.overdue;
  return Boolean(p.due_date) && p.due_date < localToday() && NOT_RECTIFIED.has(p.state);
}

function cls(p) {
  if (CLOSED.has(p.state)) return 'closed';
  return isOverdue(p) ? 'overdue' : 'open';
}

export function problemLabel(p) {
  const river = p.river ?? p.river_name;
  return `#${p.id} ${t(`cat.${p.category}`)} · ${t(`state.${p.state}`)}${river ? ` · ${river}` : ''}`
    + `${isOverdue(p) ? ` · ${t('problem.overdue')}` : ''}`;
}

function day(p) { return p.date ?? (p.observed_at ? String(p.observed_at).slice(0, 10) : ''); }

export function problemItem(p) {
  return h('li', { class: `problem ${cls(p)}` },
    h('a', { href: `#problem-${p.id}`, onclick: (e) => { e.preventDefault(); emit('problem:open', p); } }, problemLabel(p)),
    day(p) ? ` · ${day(p)}` : '');
}

export async function loadProblems({ fresh = false } = {}) {
  if (!can('problems_geojson') || !state.period) return;
  if (state.config?.tile_mode) return; // province size: drawn from vector tiles (layers/tiles.js)
  // Right after this page's own write, skip the server's read cache: its layer versions are
  // polled once a second, so an answer cached a moment before the write could come back.
  const nocache = fresh ? { fresh: Date.now() } : {};
  // The period's problems, plus every problem still open whenever it was reported: an old
  // overdue problem must not vanish from the map because the period moved on.
  const [inPeriod, stillOpen] = await Promise.all([
    api(`/api/v1/problems.geojson${qs({ from: state.period.from, to: state.period.to, ...nocache })}`),
    api(`/api/v1/problems.geojson${qs({ state: OPEN.join(','), ...nocache })}`),
  ]);
  const byId = new Map([...inPeriod.features, ...stillOpen.features].map(withId).map((f) => [f.properties.id, f]));
  data = { type: 'FeatureCollection', features: [...byId.values()] };
  if (!layer) {
    layer = L.layerGroup().addTo(state.map);
    state.layerControl.addOverlay(layer, t('layer.problems'));
  }
  layer.clearLayers();
  layer.addLayer(L.geoJSON(data, {
    pane: 'problems',
    pointToLayer: (f, latlng) => {
      const c = cls(f.properties);
      return L.circleMarker(latlng, { pane: 'problems', radius: c === 'overdue' ? 8 : 6, weight: c === 'overdue' ? 3 : 1.5,
        className: `problem-marker ${c}`, color: c === 'overdue' ? '#b00020' : '#333',
        fillColor: c === 'closed' ? '#9e9e9e' : c === 'overdue' ? '#ff1744' : '#ff9800', fillOpacity: 0.9 });
    },
    onEachFeature: (f, lyr) => {
      lyr.bindTooltip(() => problemLabel(f.properties));
      lyr.on('click', (e) => { L.DomEvent.stop(e); emit('problem:open', f.properties); });
    },
  }));
}

/** Problems matching server-side filters (river_id, county, state): the public gets public
 * fields, staff what their role allows; any period, not just the map's. */
export async function fetchProblems(filter, { open = false } = {}) {
  const params = { ...filter, ...(open ? { state: OPEN.join(',') } : {}) };
  const fc = await api(`/api/v1/problems.geojson${qs(params)}`);
  return fc.features.map(withId).map((f) => f.properties);
}

function countyName(code) {
  return areasData()?.features.find((f) => f.properties.code === code)?.properties.name ?? code;
}

async function showProblem(summary) {
  loading(t('problem.title', { id: summary.id }));
  let p = summary;
  let history = [];
  try {
    // The public has the map's fields already and may not read more: ask only when signed in.
    if (!state.user) throw Object.assign(new Error('public'), { status: 401 });
    const full = await api(`/api/v1/problems/${summary.id}`);
    p = { ...summary, ...full };
    history = full.history || [];
  } catch (err) {
    // The public sees the map's fields only; staff get the full record and its history.
    if (err.status !== 401 && err.status !== 403) {
      openPanel(t('problem.title', { id: summary.id }), h('p', { class: 'error' }, errorText(err)));
      return;
    }
  }
  const resp = p.responsible;
  openPanel(t('problem.title', { id: p.id }),
    facts([
      [t('problem.category'), t(`cat.${p.category}`)],
      [t('problem.state'), h('span', { class: `state ${cls(p)}` }, t(`state.${p.state}`), isOverdue(p) ? ` · ${t('problem.overdue')}` : '')],
      [t('problem.river'), p.river_name ?? p.river ?? ''],
      [t('problem.county'), p.county_name ?? p.county_code ?? ''],
      [t('problem.observed'), p.observed_at ? localTime(p.observed_at) : day(p)],
      [t('problem.due'), p.due_date ?? ''],
      [t('problem.responsible'), resp ? [resp.chief?.name, resp.liaison_unit?.name, resp.county?.name].filter(Boolean).join(' · ') : ''],
      [t('problem.description'), p.description ?? ''],
    ]),
    history.length ? section(t('problem.history'), h('ol', { class: 'history' }, history.map((r) => h('li', {},
      `${localTime(r.at)} · `, r.action ? h('strong', {}, `${wt(`a.${r.action}`)} `) : '',
      r.from_state ? `${t(`state.${r.from_state}`)} → ` : '', t(`state.${r.to_state}`),
      r.actor_role ? ` · ${t(`role.${r.actor_role}`)}` : '', r.assignee_county ? ` · ${countyName(r.assignee_county)}` : '',
      r.due_date ? ` · ${t('problem.due')} ${r.due_date}` : '', r.note ? ` · ${r.note}` : '')))) : '');
  // The workbench adds the actions this caller may take and the photos (static/js/wb/problem-actions.js).
  emit('problem:shown', { problem: p, refresh: () => setView(() => showProblem(p)) });
}

export function initProblems() {
  on('problem:open', (p) => setView(() => showProblem(p)));
}
