// Without a basemap (RIVERCHIEF_BASEMAP=none, or auto with no Tianditu key) the map still
// says where one is (issue 17): county names (areas layer), a scale (map.js), and here the
// rivers' names repeated along their lines once zoomed in, turned to follow the line.
import { state } from '../state.js';
import { segmentsData } from './rivers.js';

const L = window.L;
const MIN_ZOOM = 11;
const SPACING_PX = 320;
const MAX_LABELS = 80;
let group = null;

function label(name, angle) {
  const span = document.createElement('span');
  span.className = 'river-along-text';
  span.textContent = name;
  span.style.transform = `translate(-50%, -50%) rotate(${angle}deg) translateY(-13px)`; // CSSOM: the CSP allows it
  return L.divIcon({ className: 'river-along', html: span, iconSize: [0, 0] });
}

function draw() {
  const map = state.map;
  group.clearLayers();
  const segs = segmentsData();
  if (!segs || map.getZoom() < MIN_ZOOM) return;
  const view = map.getBounds().pad(0.1);
  const names = new Map(state.rivers.map((r) => [r.id, r.name]));
  let count = 0;
  for (const f of segs.features) {
    const name = f.properties.river_name || names.get(f.properties.river_id);
    if (!name) continue;
    const lines = f.geometry.type === 'MultiLineString' ? f.geometry.coordinates : [f.geometry.coordinates];
    for (const line of lines) {
      let walked = SPACING_PX / 2;
      for (let i = 1; i < line.length && count < MAX_LABELS; i += 1) {
        const a = map.latLngToLayerPoint([line[i - 1][1], line[i - 1][0]]);
        const b = map.latLngToLayerPoint([line[i][1], line[i][0]]);
        const len = a.distanceTo(b);
        while (walked <= len && count < MAX_LABELS) {
          const t = walked / len;
          const at = map.layerPointToLatLng(L.point(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t));
          if (view.contains(at)) {
            let angle = (Math.atan2(b.y - a.y, b.x - a.x) * 180) / Math.PI;
            if (angle > 90) angle -= 180;
            if (angle < -90) angle += 180;
            group.addLayer(L.marker(at, { icon: label(name, angle), pane: 'contextLabels', interactive: false, keyboard: false }));
            count += 1;
          }
          walked += SPACING_PX;
        }
        walked -= len;
      }
    }
  }
}

/** River names along the lines when no basemap is drawn (call once the segments are loaded). */
export function initContextLabels() {
  if ((state.config?.tile_layers || []).length) return;
  const map = state.map;
  map.createPane('contextLabels').style.zIndex = '460';
  map.getPane('contextLabels').style.pointerEvents = 'none';
  group = L.layerGroup().addTo(map);
  map.on('zoomend moveend', draw);
  draw();
}
