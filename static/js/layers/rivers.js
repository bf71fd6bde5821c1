// River lines for context, Leshan's segments coloured by patrol coverage for the chosen period.
import { api, qs } from '../api.js';
import { state, emit, can } from '../state.js';
import { t } from '../i18n.js';
import { tileMode, drawTiles, initTileClicks } from './tiles.js';

const L = window.L;
export const COLOURS = { covered: '#1a9850', uncovered: '#d73027', nodata: '#2b7bba', context: '#8fb8d8' };

let contextLayer = null;
let segmentLayer = null;
let coverageLayer = null;
let segments = null;
let contextData = null;
let pieces = null;
let only = null; // Set of river ids shown in cross-boundary mode, null = all
export let coverageByRiver = new Map();

const shown = (f) => only === null || only.has(f.properties.river_id ?? f.properties.id);

/** Show only these rivers (cross-boundary mode), or all with null. */
export function setRiverFilter(ids) {
  only = ids ? new Set(ids) : null;
  drawContext();
  drawSegments();
  drawCoverage();
}

function openRiver(e, riverId) {
  L.DomEvent.stop(e);
  emit('river:open', { id: riverId });
}

export async function loadContextRivers() {
  if (tileMode()) return; // province size: the segments' tiles are the rivers
  contextData = await api('/api/v1/map/rivers.geojson?zoom=10', { auth: false });
  drawContext();
}

function drawContext() {
  if (contextLayer) state.map.removeLayer(contextLayer);
  contextLayer = L.geoJSON(contextData, {
    pane: 'rivers',
    filter: shown,
    style: (f) => ({ color: COLOURS.context, weight: f.properties.river_class === 'major' ? 2.5 : 1.5, opacity: 0.9 }),
    onEachFeature: (f, layer) => {
      layer.bindTooltip(f.properties.name, { sticky: true });
      if (f.properties.in_city) layer.on('click', (e) => openRiver(e, f.properties.id));
    },
  }).addTo(state.map);
}

/** Segments inside Leshan: a wide transparent line under each so fingers can hit it. */
export async function loadSegments() {
  if (tileMode()) { // province size: drawn from vector tiles (layers/tiles.js)
    initTileClicks();
    await drawTiles();
    return;
  }
  segments = await api('/api/v1/segments.geojson', { auth: false });
  drawSegments();
}

function drawSegments() {
  if (segmentLayer) state.map.removeLayer(segmentLayer);
  const group = L.layerGroup();
  group.addLayer(L.geoJSON(segments, {
    pane: 'segments',
    filter: shown,
    style: (f) => ({ color: '#000', opacity: 0, weight: 16, className: `hit river-${f.properties.river_id}` }),
    onEachFeature: (f, layer) => layer.on('click', (e) => openRiver(e, f.properties.river_id)),
  }));
  group.addLayer(L.geoJSON(segments, {
    filter: shown,
    style: (f) => ({ color: COLOURS.nodata, weight: 4, opacity: 0.95, className: `seg river-${f.properties.river_id}` }),
    pane: 'segments',
    onEachFeature: (f, layer) => {
      layer.bindTooltip(() => segmentTooltip(f.properties), { sticky: true });
      layer.on('click', (e) => openRiver(e, f.properties.river_id));
    },
  }));
  segmentLayer = group.addTo(state.map);
  addRiverLabels(group);
}

function addRiverLabels(group) {
  // One label per river, at the middle vertex of its longest segment.
  const best = new Map();
  for (const f of segments.features.filter(shown)) {
    const p = f.properties;
    if (!best.has(p.river_id) || best.get(p.river_id).properties.length_km < p.length_km) best.set(p.river_id, f);
  }
  for (const f of best.values()) {
    const c = f.geometry.coordinates[Math.floor(f.geometry.coordinates.length / 2)];
    group.addLayer(L.tooltip({ permanent: true, direction: 'right', className: 'label river', offset: [6, 0] })
      .setLatLng([c[1], c[0]]).setContent(f.properties.river_name));
  }
}

function segmentTooltip(p) {
  const cov = coverageByRiver.get(p.river_id);
  const pct = cov ? ` · ${t('river.coverage')} ${(cov.coverage * 100).toFixed(1)}%` : '';
  return `${p.river_name} · ${p.length_km.toFixed(1)} km${pct}`;
}

/** Covered and uncovered pieces for the period (public: coverage shows no routes). */
export async function loadCoverage() {
  if (!can('coverage') || !state.period) return;
  const period = { from: state.period.from, to: state.period.to };
  const rows = await api(`/api/v1/coverage${qs(period)}`);
  coverageByRiver = new Map(rows.map((r) => [r.river_id, r]));
  if (tileMode()) { // the tiles carry each segment's coverage of the period
    await drawTiles();
    emit('coverage:loaded', rows);
    return;
  }
  pieces = can('coverage_segments') ? await api(`/api/v1/coverage/segments.geojson${qs(period)}`) : null;
  drawCoverage();
  emit('coverage:loaded', rows);
}

function drawCoverage() {
  if (coverageLayer) state.map.removeLayer(coverageLayer);
  coverageLayer = null;
  if (pieces) {
    coverageLayer = L.geoJSON(pieces, {
      pane: 'coverage',
      filter: shown,
      style: (f) => {
        const covered = isCovered(f.properties);
        return { color: covered ? COLOURS.covered : COLOURS.uncovered, weight: covered ? 5 : 3.5, opacity: 0.95,
          className: `cov ${covered ? 'covered' : 'uncovered'} river-${f.properties.river_id}` };
      },
      onEachFeature: (f, layer) => {
        layer.bindTooltip(() => segmentTooltip({ river_name: f.properties.river_name ?? f.properties.name ?? '',
          length_km: f.properties.length_km ?? 0, river_id: f.properties.river_id }), { sticky: true });
        layer.on('click', (e) => openRiver(e, f.properties.river_id));
      },
    }).addTo(state.map);
  }
}

export function isCovered(p) {
  if (typeof p.covered === 'boolean') return p.covered;
  return p.state === 'covered' || p.status === 'covered' || p.kind === 'covered';
}

export function segmentsData() { return segments; }
