// Patrol tracks: only for roles that may see them (office, the chief concerned, their liaison
// units, a chief's patrol account); the server scopes, the page asks with the token. Off by
// default (a layer switch), since a year of tracks hides the coverage colours beneath.
import { api, qs } from '../api.js';
import { state, can, on } from '../state.js';
import { t } from '../i18n.js';

const L = window.L;
const MAY_SEE = new Set(['office', 'chief', 'liaison', 'patrol']);
let all = null;       // the switchable layer of the period's tracks
let uploaded = null;  // tracks just uploaded or recorded here: always shown
let listed = false;

export function drawTrack(geojson, { fit = false, className = 'track' } = {}) {
  const mine = className.includes('uploaded');
  if (mine && !uploaded) uploaded = L.layerGroup().addTo(state.map);
  const g = L.geoJSON(geojson, {
    pane: 'tracks', interactive: false, filter: (f) => f.geometry.type !== 'Point',
    style: { color: mine ? '#4a0072' : '#8e44ad', weight: mine ? 4 : 2, opacity: mine ? 0.95 : 0.6, className },
  });
  (mine ? uploaded : all).addLayer(g);
  if (fit && g.getBounds().isValid()) state.map.fitBounds(g.getBounds(), { maxZoom: 14 });
  return g;
}

async function loadTracks() {
  all.clearLayers();
  if (!state.map.hasLayer(all) || !MAY_SEE.has(state.user?.role) || !state.period) return;
  const patrols = await api(`/api/v1/patrols${qs({ from: state.period.from, to: state.period.to, limit: 100 })}`);
  await Promise.all(patrols.map((p) => api(`/api/v1/patrols/${p.id}/track.geojson`)
    .then((g) => drawTrack(g)).catch(() => null)));
}

function register() {
  const may = can('patrols') && can('patrol_track') && MAY_SEE.has(state.user?.role);
  if (may && !listed) { state.layerControl.addOverlay(all, t('layer.tracks')); listed = true; }
  if (!may && listed) { state.layerControl.removeLayer(all); state.map.removeLayer(all); listed = false; }
}

export function initTracks() {
  all = L.layerGroup();
  const reload = () => { loadTracks().catch((err) => console.warn('tracks', err)); };
  all.on('add', reload);
  on('auth:changed', () => { register(); reload(); });
  on('period:changed', reload);
  register();
}
