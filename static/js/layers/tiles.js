// The map at province size (issue 22): segments coloured by coverage, problems and areas drawn
// from the server's vector tiles (/tiles/...) on canvas by protomaps-leaflet, instead of
// whole-layer GeoJSON. Chosen when /api/v1/map-config says tile_mode (the segments are more
// than map_tile_mode_segments). Same colours and legend as the GeoJSON layers; a click asks the
// tiles under the pointer what is there and opens the same panels (docs/map-tiles.md).
import { state, emit, can } from '../state.js';
import { COLOURS } from './rivers.js';

let layer = null;
let drawnFor = null;
let loading = null;
/** Segments and problems drawn from tiles so far (tests and the console read it). */
export const drawn = { segments: 0, problems: 0, areas: 0 };
window.riverchiefTiles = drawn;

export function tileMode() {
  return Boolean(state.config?.tile_mode);
}

function loadLibrary() {
  if (window.protomapsL) return Promise.resolve();
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = '/static/vendor/protomaps-leaflet/protomaps-leaflet.js';
      s.onload = () => resolve();
      s.onerror = () => reject(new Error('protomaps-leaflet did not load'));
      document.head.append(s);
    });
  }
  return loading;
}

const PROBLEM_CLOSED = new Set(['closed', 'closed_not_fixed', 'duplicate']);

function segmentColour(props) {
  if (!can('coverage_segments')) return COLOURS.nodata;
  // A tile carries each segment's covered share of the period: the legend's two colours at half.
  return (props.coverage ?? 0) >= 0.5 ? COLOURS.covered : COLOURS.uncovered;
}

function counted(kind) {
  return (z, f) => {
    drawn[kind] += 1;
    // when the map first shows segments from tiles (the province map's first render, bench/)
    if (kind === 'segments' && drawn.segments === 1) performance.mark('riverchief-segments-drawn');
    return kind === 'segments' ? segmentColour(f.props) : '#777';
  };
}

/** (Re)draw every tile layer for the period; replaces the previous one. */
export async function drawTiles() {
  const key = state.period ? `${state.period.from}/${state.period.to}` : '';
  if (layer && drawnFor === key) return;
  drawnFor = key;
  await loadLibrary();
  const P = window.protomapsL;
  const period = state.period ? `?from=${state.period.from}&to=${state.period.to}` : '';
  const sources = {
    areas: { url: '/tiles/areas/{z}/{x}/{y}.pbf', maxDataZoom: 14 },
    segments: { url: `/tiles/segments/{z}/{x}/{y}.pbf${period}`, maxDataZoom: 16 },
  };
  if (can('problems_geojson')) sources.problems = { url: '/tiles/problems/{z}/{x}/{y}.pbf', maxDataZoom: 16 };
  const paintRules = [
    { dataSource: 'areas', dataLayer: 'areas', filter: (z, f) => f.props.level === 'county',
      symbolizer: new P.LineSymbolizer({ color: counted('areas'), width: 1, opacity: 0.8 }) },
    { dataSource: 'segments', dataLayer: 'segments',
      symbolizer: new P.LineSymbolizer({ color: counted('segments'), width: (z) => (z >= 11 ? 4 : 2.5), opacity: 0.95 }) },
  ];
  if (sources.problems) {
    paintRules.push({ dataSource: 'problems', dataLayer: 'problems',
      symbolizer: new P.CircleSymbolizer({
        radius: 5, width: 1, stroke: '#333',
        fill: (z, f) => { drawn.problems += 1; return PROBLEM_CLOSED.has(f.props.state) ? '#9e9e9e' : '#ff9800'; },
      }) });
  }
  const next = P.leafletLayer({ sources, paintRules, labelRules: [], attribution: '', pane: 'segments' });
  if (layer) state.map.removeLayer(layer);
  layer = next.addTo(state.map);
  layer.getContainer()?.classList.add('riverchief-tiles');
}

/** The feature under a click, problems first, then segments, then a county. */
function pick(latlng) {
  if (!layer) return null;
  const hits = layer.queryTileFeaturesDebug(latlng.lng, latlng.lat, 12);
  for (const source of ['problems', 'segments', 'areas']) {
    const found = (hits.get(source) || []).filter((h) => source !== 'areas' || h.feature.props.role === 'focus_county');
    if (found.length) return { source, feature: found[0].feature };
  }
  return null;
}

let clicks = false;
export function initTileClicks() {
  if (clicks) return;
  clicks = true;
  state.map.on('click', (e) => {
    const hit = pick(e.latlng);
    if (!hit) return;
    const p = hit.feature.props;
    if (hit.source === 'problems') emit('problem:open', { ...p, id: hit.feature.id });
    else if (hit.source === 'segments') emit('river:open', { id: p.river_id });
    else emit('county:open', p);
  });
}
