// The river health layer (issue 16, point 3; health.map is public): the year's assessed rivers
// and reaches coloured by health class, an overlay 河湖健康评价 in the map's layer control,
// following the period's year. The 河湖健康评价 screen shows and hides the same layer.
import { api, qs } from '../../api.js';
import { state, on } from '../../state.js';
import { T } from './ui.js';

let group = null;

async function load() {
  const year = state.period?.year ?? Number(new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 4));
  const fc = await api(`/api/v1/health/map.geojson${qs({ year })}`, { auth: false });
  group.clearLayers();
  window.L.geoJSON(fc, {
    style: (f) => ({ color: f.properties.colour, weight: 6, opacity: 0.85, className: `health-${f.properties.health_class}` }),
    onEachFeature: (f, l) => l.bindTooltip(`${f.properties.river_name}：${f.properties.health_label}（${f.properties.score}）`),
  }).addTo(group);
}

export function initHealthLayer() {
  if (group || !state.map || !state.layerControl) return;
  group = window.L.layerGroup();
  group.on('add', () => load().catch((err) => console.warn('health layer', err)));
  state.layerControl.addOverlay(group, T('河湖健康评价', 'River health'));
  on('period:changed', () => { if (state.map.hasLayer(group)) load().catch((err) => console.warn('health layer', err)); });
}

/** Show or hide the layer (the screen's button); true when it is now shown. */
export function toggleHealthLayer() {
  initHealthLayer();
  if (state.map.hasLayer(group)) { state.map.removeLayer(group); return false; }
  group.addTo(state.map);
  return true;
}

export function healthLayerShown() { return Boolean(group && state.map?.hasLayer(group)); }
