// Click a river: chiefs and liaison units (today or a chosen date), length, counties, coverage
// in the period with a monthly chart, the chief's patrol duty, open problems.
import { api, qs } from '../api.js';
import { state, h, can, isStaff, on, emit } from '../state.js';
import { t, pct, km, getLang } from '../i18n.js';
import { openPanel, loading, errorText, facts, section, setView } from '../panel.js';
import { barChart } from '../chart.js';
import { areasData } from '../layers/areas.js';
import { segmentsData } from '../layers/rivers.js';
import { localToday } from '../period.js';
import { fetchProblems, problemItem } from './problem.js';
import { waterQualityBlock } from '../water-quality/panels.js';
import { mayUse } from '../wb/access.js';
import { at as archiveText } from '../archive/text.js';

export function countyName(code) {
  const f = areasData()?.features.find((x) => x.properties.code === code);
  return f ? f.properties.name : code;
}

function months(period) {
  // Whole months touching the period, up to today (no future months): a month is at least
  // 28 days, the shortest coverage period the public may read.
  const out = [];
  const today = localToday();
  let [y, m] = period.from.split('-').map(Number);
  while (true) {
    const first = `${y}-${String(m).padStart(2, '0')}-01`;
    if (first > period.to || first > today) break;
    const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    out.push({ label: String(m), from: first, to: last });
    m += 1;
    if (m > 12) { m = 1; y += 1; }
  }
  return out.slice(-12);
}

async function coverageBlock(riverId) {
  if (!can('coverage')) return null;
  const p = state.period;
  const [rows, ...monthly] = await Promise.all([
    api(`/api/v1/coverage${qs({ from: p.from, to: p.to, river_id: riverId })}`),
    ...months(p).map((mo) => api(`/api/v1/coverage${qs({ from: mo.from, to: mo.to, river_id: riverId })}`)
      .then((r) => ({ ...mo, row: r[0] }))),
  ]);
  const row = rows[0];
  const bars = monthly.map((mo) => ({ label: mo.label, value: mo.row ? mo.row.coverage : 0,
    title: `${mo.from}…${mo.to}: ${pct(mo.row?.coverage ?? 0)}` }));
  return section(`${t('river.coverage')} (${p.from} – ${p.to})`,
    h('p', { class: 'big', 'data-coverage': row ? row.coverage : '' },
      row ? `${pct(row.coverage)} · ${km(row.covered_km)} / ${km(row.length_km)} · ${t('river.patrols', { n: row.patrols })}` : '—'),
    h('p', { class: 'muted' }, t('river.monthly')), barChart(bars, { label: t('river.monthly') }));
}

async function complianceBlock(river) {
  if (!can('compliance') || !isStaff()) return null;
  const ids = new Set(river.chiefs.filter((c) => c.level === 'city').map((c) => c.id));
  if (!ids.size) return null;
  const rows = await api(`/api/v1/compliance${qs({ year: state.period.year })}`);
  const mine = rows.filter((r) => ids.has(r.official_id));
  if (!mine.length) return null;
  return section(t('river.compliance'), h('ul', { class: 'plain' }, mine.map((r) => h('li', { class: r.compliant ? 'ok' : 'warn' },
    t('compliance.line', { name: r.name, total: r.total, req: r.required_total, h1: r.h1, h2: r.h2 }), ' · ',
    r.compliant ? t('compliance.ok') : t('compliance.missing', { m: (r.missing || []).join('；') })))));
}

async function problemsBlock(riverId) {
  if (!can('problems_geojson')) return null;
  const open = await fetchProblems({ river_id: riverId }, { open: true });
  return section(`${t('river.problems')} (${open.length})`,
    open.length ? h('ul', { class: 'plain' }, open.slice(0, 30).map(problemItem)) : h('p', { class: 'muted' }, t('common.none')));
}

export async function showRiver(id, onDate) {
  const day = onDate || localToday();
  loading('…');
  let river;
  try {
    river = await api(`/api/v1/rivers/${id}${qs({ on: day })}`);
  } catch (err) {
    openPanel('—', h('p', { class: 'error' }, errorText(err)));
    return;
  }
  const name = getLang() === 'en' && river.name_en ? `${river.name} ${river.name_en}` : river.name;
  const dateInput = h('input', { type: 'date', value: day, 'aria-label': t('river.on') });
  dateInput.addEventListener('change', () => setView(() => showRiver(id, dateInput.value)));
  const line = (c) => h('li', { class: 'chief' }, `${c.name}`, c.title ? ` · ${c.title}` : '',
    c.county_code ? ` · ${countyName(c.county_code)}` : '');
  // City and county chiefs in full; the many township and village chiefs folded (issue 18).
  const upper = river.chiefs.filter((c) => !['township', 'village'].includes(c.level));
  const lower = river.chiefs.filter((c) => ['township', 'village'].includes(c.level));
  const chiefs = upper.map(line);
  if (lower.length) {
    chiefs.push(h('li', {}, h('details', { class: 'lower-chiefs' },
      h('summary', {}, t('river.lower_chiefs', { n: lower.length })), h('ul', { class: 'plain' }, lower.map(line)))));
  }
  const info = [
    facts([
      [t('river.on'), dateInput],
      [t('river.chiefs'), chiefs.length ? h('ul', { class: 'plain chiefs' }, chiefs) : t('common.none')],
      [t('river.units'), river.liaison_units.map((u) => u.name).join('、') || t('common.none')],
      [t('river.length'), km(river.length_km)],
      [t('river.counties'), river.counties.map(countyName).join('、')],
      [t('river.cross'), river.cross_boundary ? '✓' : ''],
    ]),
    h('p', {}, h('a', { href: `/api/v1/rivers/${id}/map.html`, target: '_blank', rel: 'noopener' }, t('river.export'))),
    // 一河一档 (issue 19): the river's archive in the workbench (print and XLSX from there).
    can('river_archive') && mayUse('archive.read')
      ? h('p', {}, h('button', { type: 'button', onclick: () => emit('wb:go', `#wb-archive?river=${id}`) }, archiveText('open')))
      : '',
  ];
  const placeholder = h('div', { class: 'async' }, h('p', { class: 'muted' }, t('common.loading')));
  openPanel(name, ...info, placeholder);
  showAboveSheet(id);
  const blocks = await Promise.all([coverageBlock(id), complianceBlock(river), problemsBlock(id),
    can('water_quality_series') ? waterQualityBlock(id) : Promise.resolve(null)]
    .map((p) => p.catch((err) => h('p', { class: 'error' }, errorText(err)))));
  placeholder.replaceChildren(...blocks.filter(Boolean));
}

/** On a phone the panel covers the lower half: move the river into the part still visible. */
function showAboveSheet(riverId) {
  const sheet = document.getElementById('panel');
  if (window.innerWidth > 700 || !segmentsData()) return;
  const feats = segmentsData().features.filter((f) => f.properties.river_id === riverId);
  if (!feats.length) return;
  const bounds = window.L.geoJSON({ type: 'FeatureCollection', features: feats }).getBounds();
  state.map.fitBounds(bounds, { paddingTopLeft: [16, 16], paddingBottomRight: [16, sheet.offsetHeight + 16], maxZoom: 12 });
}

export function initRiverPanel() {
  on('river:open', ({ id }) => setView(() => showRiver(id)));
}
