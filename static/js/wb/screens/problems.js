// 问题 (issue 15 item 1): every problem the caller may see in a table (server-side paging with
// the total, sorting, filters: state, river, county, category, overdue, period; search by id,
// tracking code or text); a row opens the problem's panel beside the map, where the actions
// this caller may take now are offered (static/js/wb/problem-actions.js).
import { api } from '../../api.js';
import { h, state, emit, on, toast } from '../../state.js';
import { t, localTime } from '../../i18n.js';
import { areasData } from '../../layers/areas.js';
import { createTable, listFetcher } from '../table.js';
import { mayUse } from '../access.js';
import { wt } from '../text.js';

export const SCREEN = { id: 'problems', label: () => wt('p.title'), permission: 'problems.read', group: 'problems' };

const STATES = ['reported', 'assigned', 'rectifying', 'rectified', 'verified', 'closed', 'closed_not_fixed', 'duplicate', 'reopened'];
const CATEGORIES = ['sand_mining', 'garbage', 'sewage_outfall', 'illegal_construction', 'illegal_fishing', 'water_quality', 'other'];

function counties() {
  return (areasData()?.features || []).map((f) => f.properties).filter((p) => p.role === 'focus_county')
    .map((p) => [p.code, p.name]).sort((a, b) => a[0].localeCompare(b[0]));
}

const ID = /^#?(\d{1,9})$/;
const list = listFetcher('/api/v1/problems', (st) => ({
  q: st.q || undefined,
  state: st.filters.state, river_id: st.filters.river_id, county: st.filters.county, category: st.filters.category,
  overdue: st.filters.overdue ? 'true' : undefined, from: st.filters.from, to: st.filters.to,
  sort: st.sort ? `${st.order === 'desc' ? '-' : ''}${st.sort}` : undefined,
}));

/** A problem's number finds that problem whatever the filters say (the office reads it off a
 * call or a report); other text is searched by the server (tracking code, description). */
async function fetchProblems(st) {
  const m = ID.exec(st.q || '');
  if (m) {
    try {
      const p = await api(`/api/v1/problems/${m[1]}`);
      return { rows: [p], total: 1 };
    } catch (err) {
      if (err.status === 404 || err.status === 403) return { rows: [], total: 0 };
      throw err;
    }
  }
  return list(st);
}

const dayOf = (p) => (p.observed_at ? localTime(p.observed_at).slice(0, 10) : p.date ?? '');

/** 按区县统计 (problems.summary): counts, overdue, on-time rate and days to close per county. */
async function statsBlock() {
  const year = state.period?.year ?? new Date().getFullYear();
  const data = await api(`/api/v1/problems/summary?year=${year}`);
  const pct = (x) => (x === null || x === undefined ? null : Math.round(x * 1000) / 10);
  const table = createTable({
    id: 'problem-stats',
    title: () => wt('stats.title', { year }),
    search: false,
    columns: [
      { key: 'county_name', label: wt('p.county'), sort: true },
      { key: 'total', label: wt('stats.total'), type: 'number', sort: true },
      { key: 'overdue', label: wt('p.overdue'), type: 'number', sort: true },
      { key: 'on_time_rate', label: `${wt('stats.ontime')} %`, type: 'number', sort: true, value: (r) => pct(r.on_time_rate) },
      { key: 'closed', label: wt('stats.closed'), type: 'number', sort: true },
      { key: 'median_days_to_close', label: wt('stats.median'), type: 'number', sort: true },
    ],
    rows: data.counties,
    sort: { key: 'total', order: 'desc' },
    pageSize: 20,
  });
  await table.reload();
  return h('section', { class: 'sub', 'aria-label': wt('stats.title', { year }) }, h('h3', {}, wt('stats.title', { year })), table.el);
}

/** The filters as the list and the layer exports take them (wbapi: problems/deps.py). */
function query(st) {
  const q = new URLSearchParams();
  const f = st.filters;
  const add = (k, v) => { if (v !== undefined && v !== null && v !== '' && v !== false) q.set(k, String(v)); };
  add('q', ID.test(st.q || '') ? '' : st.q);
  add('state', f.state); add('river_id', f.river_id); add('county', f.county); add('category', f.category);
  add('overdue', f.overdue ? 'true' : ''); add('from', f.from); add('to', f.to);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** 导出 GeoPackage / GeoJSON: the problems matching the table's filters, with their points,
 * through a single-use download link (static/js/wb/download.js). */
function layerExport(table, ext, label) {
  return h('button', {
    type: 'button', class: 'wb-export',
    onclick: async () => {
      try {
        const { download } = await import('../download.js');
        await download(`/api/v1/exports/problems.${ext}${query(table.state)}`, `problems.${ext}`);
      } catch (err) { toast(wt('error', { msg: err.message })); }
    },
  }, label);
}

export async function render(host, params = {}) {
  const stats = h('div', { class: 'wb-stats' });
  const statsButton = mayUse('problems.summary') ? h('button', {
    type: 'button', 'aria-expanded': 'false',
    onclick: async () => {
      const open = statsButton.getAttribute('aria-expanded') === 'true';
      statsButton.setAttribute('aria-expanded', String(!open));
      stats.replaceChildren(...(open ? [] : [await statsBlock().catch((err) => h('p', { class: 'error' }, wt('error', { msg: err.message })))]));
    },
  }, wt('stats')) : null;
  const table = createTable({
    id: 'problems',
    title: () => wt('p.title'),
    columns: [
      { key: 'id', label: wt('p.id'), type: 'number', sort: 'id',
        render: (p) => h('a', { href: `#problem-${p.id}`, 'aria-label': wt('p.open', { id: p.id }),
          onclick: (e) => { e.preventDefault(); open(p); } }, `#${p.id}`) },
      { key: 'category', label: wt('p.category'), value: (p) => p.category_label ?? t(`cat.${p.category}`), sort: 'category' },
      { key: 'state', label: wt('p.state'), value: (p) => p.state_label ?? t(`state.${p.state}`), sort: 'state',
        render: (p) => h('span', {}, p.state_label ?? t(`state.${p.state}`), p.overdue ? [' ', h('span', { class: 'badge warn' }, wt('p.overdue'))] : '') },
      { key: 'river_name', label: wt('p.river'), sort: 'river' },
      { key: 'county_name', label: wt('p.county'), sort: 'county' },
      { key: 'observed_at', label: wt('p.observed'), type: 'date', value: dayOf, sort: 'observed_at' },
      { key: 'due_date', label: wt('p.due'), type: 'date', sort: 'due_date' },
      { key: 'overdue', label: wt('p.overdue'), value: (p) => (p.overdue === undefined ? '' : p.overdue ? wt('yes') : wt('no')),
        render: (p) => (p.overdue ? h('span', { class: 'badge warn' }, wt('yes')) : '') },
      { key: 'description', label: wt('p.description'), render: (p) => (p.description ? String(p.description).slice(0, 40) : '') },
    ],
    fetch: fetchProblems,
    search: { label: wt('search'), placeholder: wt('search.placeholder') },
    filters: [
      { key: 'state', label: wt('p.state'), options: STATES.map((s) => [s, t(`state.${s}`)]), value: params.state },
      { key: 'river_id', label: wt('p.river'), options: (state.rivers || []).map((r) => [r.id, r.name]), value: params.river_id },
      { key: 'county', label: wt('p.county'), options: counties(), value: params.county },
      { key: 'category', label: wt('p.category'), options: CATEGORIES.map((c) => [c, t(`cat.${c}`)]) },
      { key: 'overdue', label: wt('p.overdue'), type: 'checkbox', value: params.overdue === 'true' || undefined },
      { key: 'from', label: wt('p.from'), type: 'date' },
      { key: 'to', label: wt('p.to'), type: 'date' },
    ],
    sort: { key: 'id', order: 'desc' },
    pageSize: 20,
    onRow: (p) => open(p),
    tools: statsButton ? [statsButton] : [],
  });
  function open(p) {
    table.select(p.id);
    emit('problem:open', p);
  }
  table.el.querySelector('.wb-toolbar').append(layerExport(table, 'gpkg', wt('export.gpkg')), layerExport(table, 'geojson', wt('export.geojson')));
  host.replaceChildren(stats, table.el);
  if (params.q) {
    const box = table.el.querySelector('input[type=search]');
    box.value = params.q;
    table.state.q = params.q;
  }
  await table.reload();
  if (params.id) open({ id: Number(params.id) });
  current = table;
}

// After an action in the panel, the open table shows the new state (one listener for all renders).
let current = null;
on('problem:changed', (p) => {
  const table = current;
  if (!table?.el.isConnected) return;
  table.reload().then(() => { if (p?.id) table.select(p.id); });
});

