// Patrol upload form (works on a phone): file, chief, datum → coverage, valid or not and why,
// and the track drawn on the map.
import { api, ApiError } from './api.js';
import { errorText } from './panel.js';
import { state, h, on } from './state.js';
import { t, pct, getLang } from './i18n.js';
import { drawTrack } from './layers/tracks.js';
import { loadCoverage } from './layers/rivers.js';

const LEVELS = { city: '市级', county: '县级', township: '乡级', village: '村级' };
const LEVELS_EN = { city: 'municipal', county: 'county', township: 'township', village: 'village' };

/** "岷江市级河长" / "岷江 municipal chief": the posts of one chief, from the rivers list. */
function posts(entries) {
  const en = getLang() === 'en';
  return entries.map(([river, level]) => (en ? `${river} ${LEVELS_EN[level] ?? level} chief` : `${river}${LEVELS[level] ?? ''}河长`)).join('、');
}

/** Chief id -> "刘建平 · 岷江市级河长" for every chief of the rivers (today). */
function chiefLabels(rivers, { cityOnly = false } = {}) {
  const found = new Map();
  for (const r of rivers) {
    for (const c of r.chiefs || []) {
      if (cityOnly && c.level !== 'city') continue;
      if (!found.has(c.id)) found.set(c.id, { name: c.name, entries: [] });
      found.get(c.id).entries.push([r.name, c.level]);
    }
  }
  return new Map([...found].map(([id, c]) => [id, `${c.name} · ${posts(c.entries)}`]));
}

/** City-level chiefs of the rivers (for office and liaison staff who upload for a chief). */
async function chiefOptions() {
  return chiefLabels(await api('/api/v1/rivers'), { cityOnly: true });
}

/** The signed-in official as "name · posts", else their name and title from the roster. */
async function ownLabel(own) {
  const label = chiefLabels(state.rivers.length ? state.rivers : await api('/api/v1/rivers')).get(own);
  if (label) return label;
  const o = await api(`/api/v1/officials/${own}`).catch(() => null);
  return o ? `${o.name}${o.title ? ` · ${o.title}` : ''}` : state.user.username;
}

/** The rivers a chief answers for today (names), for "covers none of the chief's rivers". */
export function ownRivers(chiefId) {
  return state.rivers.filter((r) => (r.chiefs || []).some((c) => c.id === chiefId)).map((r) => r.name);
}

export function reasonText(code) {
  const key = `reason.${code}`;
  const text = t(key);
  return text === key ? code : text;
}

/** A reason, naming the chief's own rivers when the track covers too little of them. */
function whyText(code, p) {
  const text = reasonText(code);
  if (code !== 'no_coverage_of_own_river') return text;
  const mine = ownRivers(p.chief_id);
  return mine.length ? t('upload.own_rivers', { why: text, rivers: mine.join('、') }) : text;
}

/** The upload result as a list: summary line, validity and reasons, per-river coverage. */
export function resultView(p, existing) {
  return h('div', { class: `upload-result ${p.valid ? 'valid' : 'invalid'}` },
    existing ? h('p', { class: 'muted' }, t('upload.duplicate')) : '',
    h('p', { class: 'verdict' }, p.valid ? t('upload.valid') : t('upload.invalid', { why: (p.invalid_reasons || []).map((r) => whyText(r, p)).join('、') })),
    h('p', {}, t('upload.summary', { km: Number(p.length_km ?? 0).toFixed(2), min: Math.round(p.duration_min ?? 0), n: p.points ?? 0 })),
    h('ul', { class: 'plain coverage' }, (p.rivers || []).map((r) => h('li', { 'data-river': r.river_id },
      t('upload.river', { name: r.name, pct: pct(r.coverage), km: Number(r.covered_km).toFixed(2) })))));
}

/** Draw the stored track if this role may read it, else the file's own points (GPX/GeoJSON). */
export async function drawUploaded(patrol, file) {
  try {
    drawTrack(await api(`/api/v1/patrols/${patrol.id}/track.geojson`), { fit: true, className: 'track uploaded' });
    return;
  } catch { /* a patrol user may not read tracks: fall back to the local file */ }
  if (!file) return;
  const text = await file.text().catch(() => '');
  let coords = [];
  if (/<gpx[\s>]/.test(text)) {
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    coords = [...doc.querySelectorAll('trkpt')].map((p) => [Number(p.getAttribute('lon')), Number(p.getAttribute('lat'))]);
  } else if (text.trim().startsWith('{')) {
    try { drawTrack(JSON.parse(text), { fit: true, className: 'track uploaded' }); } catch { /* not GeoJSON */ }
    return;
  }
  if (coords.length > 1) drawTrack({ type: 'LineString', coordinates: coords }, { fit: true, className: 'track uploaded' });
}

export function initUpload() {
  const dlg = document.getElementById('dlg-upload');
  const form = document.getElementById('form-upload');
  const select = document.getElementById('upload-chief');
  const out = document.getElementById('upload-result');
  let clientId = crypto.randomUUID();
  form.file.addEventListener('change', () => { clientId = crypto.randomUUID(); out.hidden = true; });
  document.getElementById('btn-upload').addEventListener('click', async () => {
    select.replaceChildren();
    const own = state.user?.official_id;
    if (['office', 'liaison'].includes(state.user?.role)) {
      for (const [id, label] of await chiefOptions()) select.append(new Option(`${label}${id === own ? t('upload.mine') : ''}`, String(id), id === own, id === own));
    } else if (own) {
      select.append(new Option(`${await ownLabel(own)}${t('upload.mine')}`, String(own), true, true));
    }
    out.hidden = true;
    dlg.showModal();
  });
  dlg.querySelector('.cancel').addEventListener('click', () => dlg.close());
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    for (const key of ['date', 'notes', 'chief_id']) if (!data.get(key)) data.delete(key);
    // The same client_id on a retry (double tap, flaky network) returns the same patrol.
    data.set('client_id', clientId);
    out.hidden = false;
    out.replaceChildren(h('p', { class: 'muted' }, t('upload.sending')));
    try {
      const res = await api('/api/v1/patrols', { method: 'POST', form: data, raw: true });
      const body = await res.json();
      if (!res.ok) throw new ApiError(res.status, String(body.detail ?? res.statusText), body);
      out.replaceChildren(resultView(body, res.status === 200));
      await drawUploaded(body, form.file.files[0]);
      loadCoverage().catch(() => {});
    } catch (err) {
      // Refused (outside the city, times running backwards…): the reason, the map untouched.
      out.replaceChildren(h('p', { class: 'error', role: 'alert' }, errorText(err)));
    }
  });
  on('auth:changed', () => dlg.open && dlg.close());
}
