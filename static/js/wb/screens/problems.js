// 问题 (issue 15 item 1): every problem the caller may see in a table (server-side paging with
// the total, sorting, filters: state, river, county, category, overdue, period; search by id,
// tracking code or text); a row opens the problem's panel beside the map, where the actions
// this caller may take now are offered (static/js/wb/problem-actions.js).
import { api } from '../../api.js';
import { h, state, emit, on } from '../../state.js';
import { t, localTime } from '../../i18n.js';
import { areasData } from '../../layers/areas.js';
import { createTable, listFetcher } from '../table.js';
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

export async function render(host, params = {}) {
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
  });
  function open(p) {
    table.select(p.id);
    emit('problem:open', p);
  }
  host.replaceChildren(table.el);
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

