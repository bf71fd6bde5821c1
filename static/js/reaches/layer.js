// Reaches drawn by level as the user zooms in (county from z10, township from z12, village
// from z14; the city reach is the whole river, already drawn): GET /api/v1/reaches.geojson.
// A click on a reach shows the chain of responsibility at the clicked point.
import { api, qs } from '../api.js';
import { state, can, emit } from '../state.js';
import { tr, LEVEL_COLOURS } from './strings.js';

const L = window.L;
const WEIGHT = { county: 9, township: 7, village: 5 };
let group = null;
let shownKey = null;
const cache = new Map(); // zoom band -> FeatureCollection

/** The levels the server draws at ``zoom`` (service.reaches.routes.levels_for_zoom). */
export function bandOf(zoom) {
  if (zoom < 10) return null;
  if (zoom < 12) return 11;
  if (zoom < 14) return 13;
  return 15;
}

function style(f) {
  const level = f.properties.level;
  return {
    color: LEVEL_COLOURS[level] ?? '#555',
    weight: WEIGHT[level] ?? 4,
    opacity: 0.45,
    dashArray: f.properties.bank ? '6 6' : null,
    lineCap: 'butt',
    className: `reach-lvl lvl-${level}`,
  };
}

function tooltip(p) {
  const bank = p.bank ? ` · ${tr(`bank.${p.bank}`)}` : '';
  const chiefs = p.chiefs.length ? ` · ${p.chiefs.join('、')}` : '';
  return `${tr(`level.${p.level}`)} · ${p.name}${bank}${chiefs}`;
}

async function refresh() {
  if (!group || !state.map.hasLayer(group)) return;
  const band = bandOf(state.map.getZoom());
  const key = band === null ? null : `${band}`;
  if (key === shownKey) return;
  shownKey = key;
  let data = band === null ? null : cache.get(band);
  if (band !== null && !data) {
    data = await api(`/api/v1/reaches.geojson${qs({ zoom: band })}`, { auth: false });
    cache.set(band, data);
  }
  if (shownKey !== key) return; // zoomed again meanwhile
  // Swap the drawing only now, outside the map's zoom event (other layers redraw in it).
  group.clearLayers();
  if (!data) return;
  group.addLayer(L.geoJSON(data, {
    pane: 'reaches',
    style,
    onEachFeature: (f, layer) => {
      layer.bindTooltip(() => tooltip(f.properties), { sticky: true });
      layer.on('click', (e) => {
        L.DomEvent.stop(e);
        emit('chain:open', { lon: e.latlng.lng, lat: e.latlng.lat });
      });
    },
  }));
}

/** Forget what was drawn (after a reach was cut, assigned or ended). */
export function reloadReaches() {
  cache.clear();
  shownKey = undefined;
  refresh().catch((err) => console.warn('reaches', err));
}

export function initReachLayer() {
  if (!can('reaches_geojson')) return;
  state.map.createPane('reaches').style.zIndex = '430';
  group = L.layerGroup().addTo(state.map);
  state.layerControl.addOverlay(group, tr('layer'));
  let timer = null;
  // After the zoom settles (a wheel spin fires several zooms): one request, not one per step.
  state.map.on('zoomend', () => {
    clearTimeout(timer);
    timer = setTimeout(() => refresh().catch((err) => console.warn('reaches', err)), 250);
  });
  state.map.on('overlayadd', (e) => { if (e.layer === group) { shownKey = undefined; refresh(); } });
  refresh().catch((err) => console.warn('reaches', err));
}
