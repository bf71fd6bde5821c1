// Public report page (公众举报): report without an account, track by code, public counts.
// zh-CN only; phone first. No account, no cookies: the tracking codes are kept in this
// browser's localStorage so the reporter can find them again.
import { solveChallenge } from './report-sha256.js';
import { initModeration } from './report-moderate.js';

const $ = (id) => document.getElementById(id);
const CODES_KEY = 'riverchief.publicCodes';
const LESHAN = [29.55, 103.77];
let position = null; // { lon, lat, datum }
let marker = null;
let map = null;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children.flat()) if (c != null) node.append(c);
  return node;
}

async function getJSON(path) {
  const res = await fetch(path, { headers: { Accept: 'application/json' } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw Object.assign(new Error(body.detail || `HTTP ${res.status}`), { status: res.status, body });
  return body;
}

// ---- tabs ------------------------------------------------------------------------------
function showTab() {
  const hash = location.hash.slice(1);
  const [tab, arg] = hash.split('=');
  // #moderate-12 (a to-do link) opens the moderation tab.
  const key = tab.startsWith('moderate') ? 'moderate' : tab;
  const name = ['report', 'track', 'stats', 'moderate'].includes(key) ? key : 'report';
  for (const s of document.querySelectorAll('[data-section]')) s.hidden = s.dataset.section !== name;
  for (const a of document.querySelectorAll('nav [data-tab]')) a.classList.toggle('active', a.dataset.tab === name);
  if (name === 'report' && map) setTimeout(() => map.invalidateSize(), 0);
  if (name === 'track') { renderMyCodes(); if (arg) { $('in-code').value = arg; track(arg); } }
  if (name === 'stats') loadStats();
}

// ---- position --------------------------------------------------------------------------
function setPosition(lon, lat, datum = 'wgs84') {
  position = { lon, lat, datum };
  $('pos-text').textContent = `${lat.toFixed(5)}, ${lon.toFixed(5)}`;
  $('in-lon').value = lon.toFixed(6);
  $('in-lat').value = lat.toFixed(6);
  $('in-datum').value = datum;
  if (map && datum !== 'gcj02') {
    if (marker) marker.setLatLng([lat, lon]);
    else marker = window.L.circleMarker([lat, lon], { radius: 9, color: '#b00020' }).addTo(map);
  }
}

function initMap() {
  if (!window.L) return;
  map = window.L.map('pick-map', { zoomControl: true, attributionControl: false }).setView(LESHAN, 9);
  getJSON('/api/v1/map/rivers.geojson?zoom=9')
    .then((gj) => window.L.geoJSON(gj, { style: { color: '#1565c0', weight: 2 }, interactive: false }).addTo(map))
    .catch(() => {});
  getJSON('/api/v1/map/areas.geojson?zoom=9')
    .then((gj) => window.L.geoJSON(gj, { style: { color: '#888', weight: 1, fill: false }, interactive: false }).addTo(map))
    .catch(() => {});
  map.on('click', (e) => setPosition(e.latlng.lng, e.latlng.lat));
}

function initLocate() {
  $('btn-locate').addEventListener('click', () => {
    if (!navigator.geolocation) { say('submit-result', '此设备不支持定位，请在地图上点选。', 'error'); return; }
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setPosition(p.coords.longitude, p.coords.latitude);
        if (map) map.setView([p.coords.latitude, p.coords.longitude], 14);
      },
      (err) => say('submit-result', `无法获取位置（${err.message}），请在地图上点选。`, 'error'),
      { enableHighAccuracy: true, timeout: 20000 },
    );
  });
  const manual = () => {
    const lon = Number($('in-lon').value), lat = Number($('in-lat').value);
    if ($('in-lon').value && $('in-lat').value && Number.isFinite(lon) && Number.isFinite(lat)) {
      setPosition(lon, lat, $('in-datum').value);
    }
  };
  for (const id of ['in-lon', 'in-lat', 'in-datum']) $(id).addEventListener('change', manual);
}

// ---- report ----------------------------------------------------------------------------
function say(id, text, cls = '') {
  $(id).replaceChildren(el('p', { class: cls }, text));
}

async function loadCategories() {
  const cats = await getJSON('/api/v1/problems/categories');
  $('in-category').replaceChildren(...cats.map((c) => new Option(c.label, c.code)));
}

function rememberCode(code) {
  const codes = JSON.parse(localStorage.getItem(CODES_KEY) || '[]').filter((c) => c !== code);
  localStorage.setItem(CODES_KEY, JSON.stringify([code, ...codes].slice(0, 20)));
}

async function submitReport(e) {
  e.preventDefault();
  if (!position) { say('submit-result', '请先确定问题位置（定位或在地图上点选）。', 'error'); return; }
  const description = $('in-description').value.trim();
  if (!description) { say('submit-result', '请填写问题描述。', 'error'); return; }
  const photos = [...$('in-photos').files];
  if (photos.length > 3) { say('submit-result', '最多上传 3 张照片。', 'error'); return; }
  if ($('in-consent').checked && !$('in-contact').value.trim()) {
    say('submit-result', '接收办理进度通知需要填写手机号或电子邮箱。', 'error');
    return;
  }
  const button = $('btn-submit');
  button.disabled = true;
  try {
    say('submit-result', '正在进行安全验证，请稍候……');
    const challenge = await getJSON('/api/v1/public/challenge');
    const counter = await solveChallenge(challenge.nonce, challenge.difficulty);
    say('submit-result', '正在提交……');
    const form = new FormData();
    form.set('lon', String(position.lon));
    form.set('lat', String(position.lat));
    form.set('datum', position.datum);
    form.set('category', $('in-category').value);
    form.set('description', description);
    const contact = $('in-contact').value.trim();
    if (contact) form.set('contact', contact);
    if ($('in-consent').checked) form.set('notify_consent', 'true');
    form.set('challenge_nonce', challenge.nonce);
    form.set('challenge_counter', counter);
    for (const p of photos) form.append('photos', p);
    const res = await fetch('/api/v1/public/reports', { method: 'POST', body: form });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      const wait = res.headers.get('Retry-After');
      const msg = res.status === 429 ? `提交过于频繁，请 ${Math.ceil(Number(wait || 60) / 60)} 分钟后再试。`
        : res.status === 413 ? '照片太大，请压缩后重试。'
        : res.status === 415 ? '照片格式不支持，请上传 JPEG 或 PNG。'
        : `提交失败：${body.detail || res.status}`;
      say('submit-result', msg, 'error');
      return;
    }
    rememberCode(body.code);
    const link = el('a', { href: `#track=${body.code}`, id: 'tracking-link' }, '查看办理进度');
    $('submit-result').replaceChildren(
      el('p', { class: 'ok' }, '举报已提交，感谢您的监督！'),
      el('p', {}, '您的查询码：', el('strong', { id: 'tracking-code' }, body.code)),
      el('p', { class: 'hint' }, '请保存查询码，用于查询办理进度。'), link,
    );
    $('submit-result').scrollIntoView({ block: 'center' });
    $('form-public-report').querySelectorAll('textarea, input[type=file]').forEach((i) => { i.value = ''; });
  } catch (err) {
    say('submit-result', `提交失败：${err.message}`, 'error');
  } finally {
    button.disabled = false;
  }
}

// ---- tracking --------------------------------------------------------------------------
async function track(code) {
  const clean = code.replace(/[\s-]/g, '').toUpperCase();
  if (!clean) return;
  try {
    const r = await getJSON(`/api/v1/public/reports/${encodeURIComponent(clean)}`);
    const rows = [
      el('p', { class: `status status-${r.status}`, id: 'track-status' }, r.status_label),
      el('p', {}, `查询码 ${r.code} · ${r.category_label} · ${r.county_name || ''} · ${r.submitted_on} 提交`),
    ];
    if (r.reason) rows.push(el('p', { class: 'reason' }, `未采纳原因：${r.reason}`));
    if (r.replies.length) {
      rows.push(el('h3', {}, '河长办回复'),
        el('ul', { class: 'replies' }, r.replies.map((x) => el('li', {}, `${x.on}：${x.body}`))));
    }
    $('track-result').replaceChildren(...rows);
  } catch (err) {
    say('track-result', err.status === 404 ? '未找到该查询码，请核对后重试。' : `查询失败：${err.message}`, 'error');
  }
}

function renderMyCodes() {
  const codes = JSON.parse(localStorage.getItem(CODES_KEY) || '[]');
  if (!codes.length) { $('my-codes').replaceChildren(); return; }
  $('my-codes').replaceChildren(el('h3', {}, '本机提交过的举报'),
    el('ul', {}, codes.map((c) => el('li', {}, el('a', { href: `#track=${c}` }, c)))));
}

// ---- statistics ------------------------------------------------------------------------
async function loadStats() {
  try {
    const s = await getJSON('/api/v1/public/stats');
    const days = (v) => (v == null ? '—' : `${v} 天`);
    const head = el('tr', {}, ['地区', '收到', '受理', '办结', '未采纳', '办结用时中位数'].map((t) => el('th', {}, t)));
    const row = (name, c) => el('tr', {}, [name, c.received, c.accepted, c.closed, c.rejected, days(c.median_days)]
      .map((v) => el('td', {}, String(v))));
    $('stats-result').replaceChildren(
      el('p', { class: 'summary' }, `累计收到举报 ${s.received} 件，受理 ${s.accepted} 件，已办结 ${s.closed} 件，办结用时中位数 ${days(s.median_days)}。`),
      el('table', { id: 'stats-table' }, head, row('全市', s), s.counties.map((c) => row(c.name, c))),
    );
  } catch (err) {
    say('stats-result', `统计加载失败：${err.message}`, 'error');
  }
}

/** A signboard's page (/r/{reach code}) opens /report?reach=&lon=&lat=: start at that reach. */
function positionFromQuery() {
  const q = new URLSearchParams(location.search);
  const lon = Number(q.get('lon')), lat = Number(q.get('lat'));
  if (!q.get('lon') || !q.get('lat') || !Number.isFinite(lon) || !Number.isFinite(lat)) return;
  if (Math.abs(lon) > 180 || Math.abs(lat) > 90) return;
  setPosition(lon, lat);
  if (map) map.setView([lat, lon], 14);
}

function init() {
  initMap();
  initLocate();
  positionFromQuery();
  loadCategories().catch((err) => say('submit-result', `类别加载失败：${err.message}`, 'error'));
  $('form-public-report').addEventListener('submit', submitReport);
  $('form-track').addEventListener('submit', (e) => { e.preventDefault(); location.hash = `track=${$('in-code').value.trim()}`; track($('in-code').value); });
  window.addEventListener('hashchange', showTab);
  showTab();
  initModeration().finally(() => { document.body.dataset.ready = '1'; });
}

if (document.readyState === 'complete') init();
else window.addEventListener('load', init);
