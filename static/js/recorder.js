// Record a patrol in the browser (开始巡河 / 结束巡河), as the provincial 河长通 apps do:
// positions from the Geolocation API are saved to IndexedDB as they come, and the finished
// patrol is uploaded as GPX with a client_id, so an upload retried after a dead zone never
// creates a second patrol.
import { api } from './api.js';
import { state, toast, on } from './state.js';
import { t } from './i18n.js';
import { recordings } from './idb.js';
import { openPanel, errorText } from './panel.js';
import { resultView, drawUploaded } from './upload.js';
import { loadCoverage } from './layers/rivers.js';
import { startView, updateView, stopView } from './field/recording.js';

const RETRY_MS = 20000;
let current = null; // the recording in progress
let watchId = null;
const inFlight = new Set();

function lengthKm(points) {
  let m = 0;
  for (let i = 1; i < points.length; i += 1) {
    const [a, b] = [points[i - 1], points[i]];
    const rad = Math.PI / 180;
    const dlat = (b.lat - a.lat) * rad;
    const dlon = (b.lon - a.lon) * rad;
    const s = Math.sin(dlat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dlon / 2) ** 2;
    m += 2 * 6371008.8 * Math.asin(Math.sqrt(s));
  }
  return m / 1000;
}

export function toGpx(rec) {
  const pts = rec.points.map((p) => `<trkpt lat="${p.lat.toFixed(7)}" lon="${p.lon.toFixed(7)}">`
    + `${p.ele != null ? `<ele>${p.ele.toFixed(1)}</ele>` : ''}<time>${p.time}</time></trkpt>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="riverchief web" xmlns="http://www.topografix.com/GPX/1/1">\n`
    + `<trk><name>巡河 ${rec.started_at}</name><trkseg>\n${pts}\n</trkseg></trk></gpx>\n`;
}

function showStatus() {
  const el = document.getElementById('record-status');
  const btn = document.getElementById('btn-record');
  btn.textContent = current ? t('record.stop') : t('record.start');
  btn.classList.toggle('recording', Boolean(current));
  if (current) {
    el.textContent = t('record.points', { n: current.points.length, km: lengthKm(current.points).toFixed(2) });
    el.hidden = false;
  } else {
    recordings.all().then((all) => {
      const pending = all.filter((r) => r.status === 'pending');
      el.textContent = pending.length ? t('record.pending', { n: pending.length }) : '';
      el.hidden = !pending.length;
      el.dataset.pending = String(pending.length);
    }).catch(() => {});
  }
}

function watch() {
  watchId = navigator.geolocation.watchPosition((pos) => {
    if (!current) return;
    const c = pos.coords;
    current.points.push({ lon: c.longitude, lat: c.latitude, ele: c.altitude, acc: c.accuracy,
      time: new Date(pos.timestamp).toISOString() });
    recordings.put(current).catch(() => {});
    updateView(current);
    showStatus();
  }, (err) => toast(t('record.denied', { msg: t(`geo.${err.code}`) })), { enableHighAccuracy: true, maximumAge: 0, timeout: 60000 });
}

async function start() {
  // Phones allow geolocation (and the wake lock, the service worker) only over HTTPS.
  if (!window.isSecureContext) { toast(t('record.insecure'), 15000); return; }
  if (!('geolocation' in navigator)) { toast(t('record.nogeo')); return; }
  current = { client_id: crypto.randomUUID(), chief_id: state.user?.official_id ?? null,
    started_at: new Date().toISOString(), points: [], status: 'recording' };
  await recordings.put(current);
  startView(current);
  watch();
  showStatus();
}

/** A reload (or a crash) in the middle of a recording: carry on with the same recording. */
function resume(rec) {
  current = rec;
  startView(current, { resumed: true });
  if ('geolocation' in navigator && window.isSecureContext) watch();
  showStatus();
}

async function stop() {
  if (watchId !== null) navigator.geolocation.clearWatch(watchId);
  watchId = null;
  const rec = current;
  current = null;
  stopView();
  if (!rec || rec.points.length < 2) {
    if (rec) await recordings.delete(rec.client_id);
    toast(t('record.empty'));
    showStatus();
    return;
  }
  rec.status = 'pending';
  rec.ended_at = new Date().toISOString();
  await recordings.put(rec);
  showStatus();
  await uploadPending();
}

async function uploadOne(rec) {
  const form = new FormData();
  form.set('file', new File([toGpx(rec)], `patrol-${rec.client_id}.gpx`, { type: 'application/gpx+xml' }));
  form.set('client_id', rec.client_id);
  form.set('datum', 'wgs84');
  if (rec.chief_id && ['office', 'liaison'].includes(state.user?.role)) form.set('chief_id', String(rec.chief_id));
  const res = await api('/api/v1/patrols', { method: 'POST', form, raw: true });
  const body = await res.json().catch(() => ({}));
  if (res.ok) {
    await recordings.delete(rec.client_id);
    openPanel(t('record.uploaded', { summary: '' }), resultView(body, res.status === 200));
    await drawUploaded(body, null);
    loadCoverage().catch(() => {});
    return;
  }
  if (res.status >= 400 && res.status < 500 && ![401, 408, 429].includes(res.status)) {
    // The server refused the file itself: keep it for the office, stop retrying.
    rec.status = 'refused';
    rec.error = typeof body.detail === 'string' ? body.detail : res.statusText;
    rec.code = body.code ?? null;
    await recordings.put(rec);
    toast(errorText({ status: res.status, body }), 15000);
  }
}

/** Upload every finished recording; network errors leave them for the next try. */
export async function uploadPending() {
  if (!state.user || !navigator.onLine) { showStatus(); return; }
  const all = await recordings.all();
  for (const rec of all.filter((r) => r.status === 'pending' && !inFlight.has(r.client_id))) {
    inFlight.add(rec.client_id);
    try { await uploadOne(rec); } catch (err) { console.warn('upload later', err); } finally { inFlight.delete(rec.client_id); }
  }
  showStatus();
}

export function initRecorder() {
  document.getElementById('btn-record').addEventListener('click', () => (current ? stop() : start()));
  window.addEventListener('online', () => { uploadPending(); });
  on('auth:changed', () => { uploadPending(); });
  setInterval(() => { uploadPending(); }, RETRY_MS);
  // A recording interrupted by a reload resumes (the latest one); older interrupted ones
  // are finished with the positions they have.
  recordings.all().then(async (all) => {
    const open = all.filter((r) => r.status === 'recording')
      .sort((a, b) => a.started_at.localeCompare(b.started_at));
    const latest = open.pop();
    for (const rec of open) {
      rec.status = rec.points.length >= 2 ? 'pending' : 'refused';
      await recordings.put(rec);
    }
    if (latest && !current) resume(latest);
    await uploadPending();
  }).catch((err) => console.warn('recordings', err));
}
