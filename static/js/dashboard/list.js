// The list behind a figure of the 驾驶舱: the request (its filter) and what it answers.
import { api } from '../api.js';
import { h } from '../state.js';
import { tx } from './text.js';

const COLUMNS = ['id', 'name', 'river_name', 'chief_name', 'category_label', 'state_label', 'county_name', 'county_code',
  'date', 'observed_at', 'level', 'total', 'required_total', 'compliant', 'coverage', 'covered_km', 'length_km', 'covered'];
const MAX_ROWS = 100;

function matches(row, where) {
  return !where || Object.entries(where).every(([k, v]) => row[k] === v);
}

function table(rows) {
  if (!rows.length) return h('p', {}, tx('none'));
  const cols = COLUMNS.filter((c) => rows.some((r) => r[c] !== undefined && r[c] !== null && typeof r[c] !== 'object'));
  return h('table', {},
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', {}, c)))),
    h('tbody', {}, rows.slice(0, MAX_ROWS).map((r) => h('tr', {}, cols.map((c) => h('td', {}, r[c] === undefined ? '' : String(r[c])))))));
}

/** Show the list behind ``fig`` ({value, list, where?, field?}) in the dialog. */
export async function openList(label, fig) {
  const dlg = document.getElementById('dash-list');
  const body = document.getElementById('dash-list-body');
  document.getElementById('dash-list-title').textContent = `${label}：${fig.value ?? '—'}`;
  const filter = fig.where ? ` where ${JSON.stringify(fig.where)}` : '';
  const field = fig.field ? ` · ${fig.field}` : '';
  document.getElementById('dash-list-url').textContent = `GET ${fig.list}${filter}${field}`;
  body.replaceChildren(h('p', {}, tx('loading')));
  if (!dlg.open) dlg.showModal();
  try {
    const res = await api(fig.list, { raw: true });
    const data = await res.json();
    if (!res.ok) throw new Error(data?.detail || res.statusText);
    let rows;
    if (Array.isArray(data)) rows = data;
    else if (data?.type === 'FeatureCollection') rows = data.features.map((f) => f.properties);
    else rows = [data];
    rows = rows.filter((r) => matches(r, fig.where));
    const total = res.headers.get('X-Total-Count') && !fig.where ? Number(res.headers.get('X-Total-Count')) : rows.length;
    body.replaceChildren(h('p', {}, tx('list.total', { n: total })), table(rows));
  } catch (err) {
    body.replaceChildren(h('p', { role: 'alert' }, tx('failed', { msg: err.message })));
  }
}

document.getElementById('dash-list-close')?.addEventListener('click', () => document.getElementById('dash-list').close());
