// The recording view (issue 17): where I am (marker and accuracy circle), the track as it
// grows, elapsed time and distance, the river being covered, a follow mode, and the screen
// kept awake (Screen Wake Lock API) while recording — saying so, or saying why not.
import { state, h } from '../state.js';
import { getLang } from '../i18n.js';
import { segmentsData } from '../layers/rivers.js';

const L = window.L;
const NEAR_M = 200; // a position this close to a segment is "on" its river
const WORDS = {
  'zh-CN': {
    title: '巡河记录中', elapsed: '用时', distance: '距离', river: '所在河流', none: '不在登记河流附近',
    follow: '跟随位置', awake: '屏幕常亮已开启', awakeNo: '屏幕常亮不可用（{why}），请保持屏幕打开',
    waiting: '正在定位…', accuracy: '精度 ±{m} 米', km: '{n} 公里', resumed: '已恢复上次未结束的巡河记录',
  },
  en: {
    title: 'Recording patrol', elapsed: 'Elapsed', distance: 'Distance', river: 'River', none: 'not near a registered river',
    follow: 'Follow position', awake: 'Screen kept awake', awakeNo: 'Cannot keep the screen awake ({why}); keep it on',
    waiting: 'Locating…', accuracy: 'accuracy ±{m} m', km: '{n} km', resumed: 'Resumed the unfinished patrol recording',
  },
};

function w(key, vars = {}) {
  const text = (WORDS[getLang()] ?? WORDS['zh-CN'])[key];
  return text.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
}

let view = null; // { rec, box, layers, timer, lock, follow }

export function lengthKm(points) {
  let m = 0;
  for (let i = 1; i < points.length; i += 1) m += metres(points[i - 1], points[i]);
  return m / 1000;
}

function metres(a, b) {
  const rad = Math.PI / 180;
  const dlat = (b.lat - a.lat) * rad;
  const dlon = (b.lon - a.lon) * rad;
  const s = Math.sin(dlat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dlon / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(s));
}

/** The registered river nearest to ``p`` within NEAR_M metres (from the map's segments). */
export function riverAt(p) {
  const segs = segmentsData();
  if (!segs) return null;
  const kx = 111320 * Math.cos((p.lat * Math.PI) / 180);
  const ky = 110540;
  let best = null;
  for (const f of segs.features) {
    const lines = f.geometry.type === 'MultiLineString' ? f.geometry.coordinates : [f.geometry.coordinates];
    for (const line of lines) {
      for (let i = 1; i < line.length; i += 1) {
        const ax = (line[i - 1][0] - p.lon) * kx; const ay = (line[i - 1][1] - p.lat) * ky;
        const bx = (line[i][0] - p.lon) * kx; const by = (line[i][1] - p.lat) * ky;
        const dx = bx - ax; const dy = by - ay;
        const len = dx * dx + dy * dy;
        const t = len ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len)) : 0;
        const d = Math.hypot(ax + t * dx, ay + t * dy);
        if (d <= NEAR_M && (!best || d < best.d)) best = { d, river_id: f.properties.river_id };
      }
    }
  }
  if (!best) return null;
  const river = state.rivers.find((r) => r.id === best.river_id);
  return { river_id: best.river_id, name: river?.name ?? `#${best.river_id}` };
}

function clock(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const pad = (n) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

async function keepAwake() {
  const el = view?.box.querySelector('.rec-awake');
  if (!view || !el) return;
  if (!('wakeLock' in navigator)) { el.textContent = w('awakeNo', { why: 'API' }); return; }
  try {
    view.lock = await navigator.wakeLock.request('screen');
    el.textContent = w('awake');
    el.dataset.awake = '1';
    view.lock.addEventListener('release', () => { if (el) { el.dataset.awake = '0'; } });
  } catch (err) {
    el.textContent = w('awakeNo', { why: err.name || err.message });
    el.dataset.awake = '0';
  }
}

function onVisible() {
  // The browser drops the lock when the page is hidden: take it again on return.
  if (view && document.visibilityState === 'visible') keepAwake();
}

function tick() {
  if (!view) return;
  view.box.querySelector('.rec-elapsed').textContent = clock(Date.now() - Date.parse(view.rec.started_at));
}

/** Show the view for ``rec`` (a new recording, or one resumed after a reload). */
export function startView(rec, { resumed = false } = {}) {
  stopView();
  const follow = h('button', { type: 'button', class: 'rec-follow', 'aria-pressed': 'true' }, w('follow'));
  const box = h('section', { id: 'rec-view', class: 'rec-view', 'aria-label': w('title') },
    h('strong', {}, w('title')),
    h('dl', {},
      h('div', {}, h('dt', {}, w('elapsed')), h('dd', { class: 'rec-elapsed', role: 'timer', 'aria-label': w('elapsed') }, '00:00:00')),
      h('div', {}, h('dt', {}, w('distance')), h('dd', { class: 'rec-distance' }, w('km', { n: '0.00' }))),
      h('div', {}, h('dt', {}, w('river')), h('dd', { class: 'rec-river' }, w('waiting')))),
    h('p', { class: 'rec-accuracy-text' }, ''),
    h('p', { class: 'rec-awake' }, ''),
    resumed ? h('p', { class: 'rec-resumed' }, w('resumed')) : null,
    follow);
  // On the map itself (not over a workspace beside it); taps on the card stay on the card.
  document.getElementById('map').append(box);
  L.DomEvent.disableClickPropagation(box);
  L.DomEvent.disableScrollPropagation(box);
  document.body.classList.add('recording');
  const layers = {
    track: L.polyline([], { pane: 'tracks', className: 'rec-track', color: '#d81b60', weight: 4, smoothFactor: 0 }).addTo(state.map),
    accuracy: null,
    marker: null,
  };
  view = { rec, box, layers, timer: setInterval(tick, 1000), lock: null, follow: true };
  follow.addEventListener('click', () => {
    view.follow = !view.follow;
    follow.setAttribute('aria-pressed', String(view.follow));
    if (view.follow) centre();
  });
  document.addEventListener('visibilitychange', onVisible);
  tick();
  keepAwake();
  updateView(rec);
}

function centre() {
  const last = view?.rec.points.at(-1);
  if (last) state.map.setView([last.lat, last.lon], Math.max(state.map.getZoom(), 16), { animate: false });
}

/** Draw the positions of ``rec`` so far. */
export function updateView(rec) {
  if (!view) return;
  view.rec = rec;
  const pts = rec.points;
  view.layers.track.setLatLngs(pts.map((p) => [p.lat, p.lon]));
  view.box.querySelector('.rec-distance').textContent = w('km', { n: lengthKm(pts).toFixed(2) });
  const last = pts.at(-1);
  if (!last) return;
  const ll = [last.lat, last.lon];
  const acc = Math.max(1, Number(last.acc) || 0);
  if (!view.layers.marker) {
    view.layers.accuracy = L.circle(ll, { radius: acc, pane: 'tracks', className: 'rec-accuracy', weight: 1, color: '#1e88e5', fillOpacity: 0.15 }).addTo(state.map);
    view.layers.marker = L.circleMarker(ll, { radius: 7, pane: 'tracks', className: 'rec-position', color: '#fff', weight: 2, fillColor: '#1e88e5', fillOpacity: 1 }).addTo(state.map);
  } else {
    view.layers.accuracy.setLatLng(ll).setRadius(acc);
    view.layers.marker.setLatLng(ll);
  }
  view.box.querySelector('.rec-accuracy-text').textContent = w('accuracy', { m: Math.round(acc) });
  const river = riverAt(last);
  const el = view.box.querySelector('.rec-river');
  el.textContent = river ? river.name : w('none');
  el.dataset.riverId = river ? String(river.river_id) : '';
  if (view.follow) centre();
}

export function stopView() {
  if (!view) return;
  clearInterval(view.timer);
  for (const layer of Object.values(view.layers)) if (layer) state.map.removeLayer(layer);
  view.lock?.release().catch(() => {});
  document.removeEventListener('visibilitychange', onVisible);
  view.box.remove();
  document.body.classList.remove('recording');
  view = null;
}
