// Shared pieces of the governance screens (issue 16): bilingual text, who may do what, a
// modal form with labelled fields, a data table (search, filters, paging, total, CSV export)
// and downloads that carry the sign-in (fetched with the token, saved as a Blob).
import { api, getToken } from '../../api.js';
import { state, h, toast } from '../../state.js';
import { getLang } from '../../i18n.js';
import { errorText } from '../../panel.js';

/** zh-CN text, or its English when the page is switched to English. */
export const T = (zh, en) => (getLang() === 'en' ? en : zh);

/** The governance rows of service/auth/matrix.py (the server checks again; this only hides
 * controls a role can never use). */
const STAFF = ['office', 'chief', 'liaison', 'county', 'township'];
export const GOV_PERMISSIONS = {
  'governance.read': STAFF,
  'meetings.write': ['office', 'chief', 'liaison'],
  'action_items.update': ['office', 'liaison', 'county'],
  'lists.write': ['office', 'chief', 'liaison'],
  'health.write': ['office', 'liaison'],
  'health.map': 'public',
  'health.approve': ['chief'],
  'inspections.write': ['office', 'liaison'],
  'accountability.write': ['office'],
  'assessment.write': ['office'],
  'agreements.read': [...STAFF, 'neighbor_viewer'],
  'agreements.write': ['office'],
};

export function role() { return state.user?.role ?? null; }
export function may(permission) {
  const rule = GOV_PERMISSIONS[permission];
  return rule === 'public' || Boolean(rule && role() && rule.includes(role()));
}

export const localToday = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
export const thisYear = () => Number(localToday().slice(0, 4));
/** A UTC instant shown as Asia/Shanghai local time. */
export const localTime = (iso) => (iso ? new Date(iso).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 16) : '');

export async function run(fn, done) {
  try {
    const out = await fn();
    if (done) toast(typeof done === 'function' ? done(out) : done);
    return out;
  } catch (err) {
    toast(errorText(err), 10000);
    return undefined;
  }
}

/** A modal form; resolves with {name: value} (strings, arrays for multiple selects), or null. */
export function dialog(title, fields, { submit } = {}) {
  return new Promise((resolve) => {
    const inputs = {};
    const rows = fields.map((f) => {
      let el;
      if (f.options) {
        el = h('select', { name: f.name, multiple: f.multiple || undefined, size: f.multiple ? Math.min(8, f.options.length) : undefined },
          f.required || f.multiple ? '' : h('option', { value: '' }, '—'),
          ...f.options.map(([v, label]) => h('option', { value: String(v) }, label)));
        if (f.multiple) for (const o of el.options) o.selected = (f.value || []).map(String).includes(o.value);
        else if (f.value !== undefined && f.value !== null) el.value = String(f.value);
      } else if (f.type === 'textarea') {
        el = h('textarea', { name: f.name, rows: f.rows || 5 });
        el.value = f.value ?? '';
      } else {
        el = h('input', { name: f.name, type: f.type || 'text', step: f.step, min: f.min, max: f.max });
        if (f.value !== undefined && f.value !== null) el.value = String(f.value);
      }
      inputs[f.name] = el;
      return h('label', { class: 'field' }, h('span', {}, f.label), el);
    });
    const error = h('p', { class: 'error', role: 'alert', hidden: true });
    const dlg = h('dialog', { class: 'gov-dialog', 'aria-label': title });
    const close = (value) => { dlg.close(); dlg.remove(); resolve(value); };
    const form = h('form', { 'aria-label': title },
      h('h2', {}, title), ...rows, error,
      h('div', { class: 'actions' },
        h('button', { type: 'submit' }, submit || T('确定', 'OK')),
        h('button', { type: 'button', class: 'cancel', onclick: () => close(null) }, T('取消', 'Cancel'))));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const values = {};
      for (const [k, el] of Object.entries(inputs)) {
        values[k] = el.multiple ? [...el.selectedOptions].map((o) => o.value) : (el.value.trim() || null);
      }
      const missing = fields.filter((f) => f.required && (f.multiple ? !values[f.name].length : !values[f.name])).map((f) => f.label);
      if (missing.length) { error.textContent = `${T('请填写', 'Required')}：${missing.join('、')}`; error.hidden = false; return; }
      close(values);
    });
    dlg.addEventListener('cancel', (e) => { e.preventDefault(); close(null); });
    dlg.append(form);
    document.body.append(dlg);
    dlg.showModal();
  });
}

/** Save what ``path`` answers as ``filename``: fetched with the sign-in, never a token in a URL. */
export async function download(path, filename) {
  const res = await fetch(path, { headers: { Authorization: `Bearer ${getToken()}` } });
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    throw Object.assign(new Error(body.detail || res.statusText), { status: res.status });
  }
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

const csvCell = (v) => {
  const s = v === null || v === undefined ? '' : String(v);
  // A leading = + - @ would run as a formula in a spreadsheet: quote it as text.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/**
 * A table of ``rows``: a search box over every shown column, optional select filters, pages
 * of ``pageSize`` with the total, and 导出CSV of what the search and filters show.
 * columns: [{label, value: (row) => text|Node, text?: (row) => plain text, num?}]
 */
export function dataTable({ caption, columns, rows, filters = [], pageSize = 20, exportName, rowAttrs, empty }) {
  const wrap = h('div', { class: 'gov-table' });
  const search = h('input', { type: 'search', 'aria-label': `${T('搜索', 'Search')}${caption}` });
  const selects = filters.map((f) => {
    const el = h('select', { 'aria-label': f.label }, h('option', { value: '' }, `${f.label}：${T('全部', 'all')}`),
      ...f.options.map(([v, l]) => h('option', { value: String(v) }, l)));
    el.addEventListener('change', () => { page = 0; draw(); });
    return [f, el];
  });
  const total = h('span', { class: 'total', role: 'status' });
  const prev = h('button', { type: 'button' }, T('上一页', 'Previous'));
  const next = h('button', { type: 'button' }, T('下一页', 'Next'));
  const tbody = h('tbody');
  const plain = (c, r) => {
    if (c.text) return c.text(r);
    const v = c.value(r);
    return v instanceof Node ? v.textContent : v;
  };
  let page = 0;
  const shown = () => {
    const q = search.value.trim().toLowerCase();
    return rows.filter((r) => selects.every(([f, el]) => !el.value || String(f.value(r)) === el.value)
      && (!q || columns.some((c) => String(plain(c, r) ?? '').toLowerCase().includes(q))));
  };
  function draw() {
    const list = shown();
    const pages = Math.max(1, Math.ceil(list.length / pageSize));
    page = Math.min(page, pages - 1);
    tbody.replaceChildren(...list.slice(page * pageSize, (page + 1) * pageSize).map((r) =>
      h('tr', rowAttrs ? rowAttrs(r) : {}, ...columns.map((c) => h('td', { class: [c.num ? 'num' : '', c.nowrap || c.noExport ? 'nowrap' : ''].join(' ').trim() || undefined }, c.value(r) ?? '')))));
    if (!list.length) tbody.append(h('tr', {}, h('td', { colspan: columns.length, class: 'muted' }, empty || T('没有记录', 'Nothing to show'))));
    total.textContent = T(`共 ${list.length} 条，第 ${page + 1}/${pages} 页`, `${list.length} rows, page ${page + 1} of ${pages}`);
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
  }
  search.addEventListener('input', () => { page = 0; draw(); });
  prev.addEventListener('click', () => { page -= 1; draw(); });
  next.addEventListener('click', () => { page += 1; draw(); });
  const exportCsv = h('button', { type: 'button', 'aria-label': `${T('导出CSV', 'Export CSV')}：${caption}` }, T('导出CSV', 'Export CSV'));
  exportCsv.addEventListener('click', () => {
    const lines = [columns.filter((c) => !c.noExport).map((c) => csvCell(c.label)).join(',')];
    for (const r of shown()) lines.push(columns.filter((c) => !c.noExport).map((c) => csvCell(plain(c, r))).join(','));
    const blob = new Blob(['\ufeff', lines.join('\r\n')], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: `${exportName || 'table'}.csv`, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
  });
  const table = h('table', { class: 'gov' }, h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { scope: 'col' }, c.label)))), tbody);
  wrap.append(h('div', { class: 'gov-tools' }, search, ...selects.map(([, el]) => el), exportCsv),
    h('div', { class: 'table-wrap' }, table),
    h('div', { class: 'gov-pager' }, prev, total, next));
  draw();
  return wrap;
}

/** The chosen screen's heading plus a back link to the governance menu. */
export function header(title, ...extra) {
  return h('div', { class: 'gov-head' }, h('h3', {}, title), ...extra);
}

/** Select of the years a screen can show (this year first). */
export function yearSelect(value, onChange, label = T('年度', 'Year')) {
  const now = thisYear();
  const sel = h('select', { 'aria-label': label }, ...[0, 1, 2, 3].map((d) => h('option', { value: String(now - d) }, String(now - d))));
  sel.value = String(value || now);
  sel.addEventListener('change', () => onChange(Number(sel.value)));
  return sel;
}

let countyCache = null;
/** [code, name] of the city's county-level units (for assignee and county fields). */
export async function counties() {
  if (!countyCache) {
    const fc = await api('/api/v1/areas.geojson?role=focus_county', { auth: false }).catch(() => null);
    countyCache = (fc?.features || []).map((f) => [f.properties.code, f.properties.name]).sort();
  }
  return countyCache;
}

let unitCache = null;
export async function units() {
  if (!unitCache) unitCache = (await api('/api/v1/liaison-units')).map((u) => [u.id, u.name]);
  return unitCache;
}

export async function rivers() {
  if (state.rivers?.length) return state.rivers;
  state.rivers = await api('/api/v1/rivers', { auth: false });
  return state.rivers;
}

export function stateBadge(text, cls = '') { return h('span', { class: `badge ${cls}` }, text); }
