// Leshan, its counties and the neighbouring cities, reloaded with more detail when zooming in.
import { api } from '../api.js';
import { state, emit } from '../state.js';
import { zoomBand } from '../map.js';

const L = window.L;
let group = null;
let band = null;
let data = null;

const STYLE = {
  focus_city: { color: '#0b5c8a', weight: 3, fill: false, interactive: false },
  focus_county: { color: '#5a7d95', weight: 1, dashArray: '4 3', fillColor: '#e9f2f7', fillOpacity: 0.35 },
  neighbor_city: { color: '#999', weight: 1.5, fillColor: '#bbb', fillOpacity: 0.25 },
  neighbor_county: null, // not drawn: the neighbour cities are enough context
};

export function areasData() { return data; }

export async function loadAreas() {
  const map = state.map;
  const want = zoomBand(map.getZoom());
  if (want === band && group) return;
  band = want;
  data = await api(`/api/v1/map/areas.geojson?zoom=${want}`, { auth: false });
  const next = L.layerGroup();
  const polygons = L.geoJSON(data, {
    pane: 'areas',
    filter: (f) => STYLE[f.properties.role] !== null,
    style: (f) => STYLE[f.properties.role],
    onEachFeature: (f, layer) => {
      const p = f.properties;
      if (p.role === 'focus_county') layer.on('click', (e) => { L.DomEvent.stop(e); emit('county:open', p); });
      if (p.role === 'neighbor_city') layer.on('click', (e) => { L.DomEvent.stop(e); emit('neighbor:clicked', p); });
    },
  });
  next.addLayer(polygons);
  for (const f of data.features) {
    const p = f.properties;
    if (p.role !== 'focus_county' && p.role !== 'neighbor_city') continue;
    const cls = p.role === 'neighbor_city' ? 'label neighbor' : 'label county';
    next.addLayer(L.tooltip({ permanent: true, direction: 'center', className: cls })
      .setLatLng([p.label_at[1], p.label_at[0]]).setContent(p.name));
  }
  if (group) map.removeLayer(group);
  group = next.addTo(map);
}

export function initAreas() {
  if (state.config?.tile_mode) return Promise.resolve(); // province size: from vector tiles
  state.map.on('zoomend', () => { loadAreas().catch(() => {}); });
  return loadAreas();
}
