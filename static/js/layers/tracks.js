// Patrol tracks: only for roles that may see them (office, the chief concerned, liaison units);
// the server decides, the page just asks with the token and shows what comes back.
import { api, qs } from '../api.js';
import { state, can, on } from '../state.js';

const L = window.L;
let layer = null;
const MAY_SEE = new Set(['office', 'chief', 'liaison', 'patrol']);

export function drawTrack(geojson, { fit = false, className = 'track' } = {}) {
  if (!layer) layer = L.layerGroup().addTo(state.map);
  const mine = className.includes('uploaded');
  const g = L.geoJSON(geojson, { pane: 'tracks', style: { color: mine ? '#4a0072' : '#8e44ad', weight: mine ? 4 : 2, opacity: mine ? 0.95 : 0.6, className } });
  layer.addLayer(g);
  if (fit && g.getBounds().isValid()) state.map.fitBounds(g.getBounds(), { maxZoom: 14 });
  return g;
}

export async function loadTracks() {
  if (layer) layer.clearLayers();
  if (!can('patrols') || !can('patrol_track') || !MAY_SEE.has(state.user?.role) || !state.period) return;
  const patrols = await api(`/api/v1/patrols${qs({ from: state.period.from, to: state.period.to, limit: 50 })}`);
  await Promise.all(patrols.map((p) => api(`/api/v1/patrols/${p.id}/track.geojson`)
    .then((g) => drawTrack(g)).catch(() => null)));
}

export function initTracks() {
  const reload = () => { loadTracks().catch((err) => console.warn('tracks', err)); };
  on('auth:changed', reload);
  on('period:changed', reload);
  reload();
}
