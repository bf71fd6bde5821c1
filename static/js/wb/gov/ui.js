// Shared pieces of the governance screens (issue 16): bilingual text, who may do what, a
// modal form with labelled fields, a data table (search, filters, paging, total, CSV export)
// and downloads that carry the sign-in (fetched with the token, saved as a Blob).
import { api, getToken } from '../../api.js';
import { state, h, toast } from '../../state.js';
import { getLang } from '../../i18n.js';
import { errorText } from '../../panel.js';
import { createTable } from '../table.js';
import { formDialog } from '../dialog.js';
import { mayUse } from '../access.js';

/** zh-CN text, or its English when the page is switched to English. */
export const T = (zh, en) => (getLang() === 'en' ? en : zh);

export function role() { return state.user?.role ?? null; }
/** The signed-in role holds ``permission`` (the role matrix from /api/v1/map-config). */
export const may = mayUse;

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

/** A modal form (the workbench's formDialog); resolves with {name: value}, or null.
 * Fields as formDialog takes them, plus ``multiple: true`` selects (values: arrays). */
export async function dialog(title, fields, { submit } = {}) {
  const multi = fields.filter((f) => f.multiple && f.options).map((f) => {
    const id = `gov-${f.name}-${Math.random().toString(36).slice(2, 8)}`;
    const el = h('select', { id, name: f.name, multiple: true, size: Math.min(8, f.options.length) },
      ...f.options.map(([v, label]) => h('option', { value: String(v) }, label)));
    for (const o of el.options) o.selected = (f.value || []).map(String).includes(o.value);
    return [f, el, h('div', { class: 'wb-field' }, h('label', { for: id }, f.label), el)];
  });
  const read = () => Object.fromEntries(multi.map(([f, el]) => [f.name, [...el.selectedOptions].map((o) => o.value)]));
  const plain = fields.filter((f) => !(f.multiple && f.options)).map((f) => ({ ...f, value: f.value === '' ? undefined : f.value }));
  const values = await formDialog({
    title, fields: plain, submitLabel: submit,
    extra: multi.length ? h('div', {}, ...multi.map(([, , wrap]) => wrap)) : undefined,
    validate: () => {
      const missing = multi.filter(([f, el]) => f.required && !el.selectedOptions.length).map(([f]) => f.label);
      return missing.length ? `${T('请填写', 'Required')}：${missing.join('、')}` : null;
    },
  });
  return values && { ...values, ...read() };
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

/**
 * A table of ``rows`` (the workbench's createTable: search, filters, sorting, paging with the
 * total, CSV and XLSX export of what the search and filters show).
 * columns: [{label, value: (row) => text|Node, text?: (row) => plain text, num?, noExport?, nowrap?}]
 * filters: [{label, value: (row) => key, options: [[key, label]]}]; rowAttrs(row): attributes of its <tr>.
 */
export function dataTable({ caption, columns, rows, filters = [], pageSize = 20, exportName, rowAttrs }) {
  const plain = (c, r) => {
    if (c.text) return c.text(r);
    const v = c.value(r);
    return v instanceof Node ? v.textContent : v;
  };
  const table = createTable({
    id: `gov-${exportName || 'table'}-${Math.random().toString(36).slice(2, 6)}`,
    title: caption,
    rows,
    pageSize,
    columns: columns.map((c, i) => ({
      key: `c${i}`, label: c.label, type: c.num ? 'number' : 'text', sort: !c.noExport,
      render: (r) => (c.nowrap ? h('span', { class: 'nowrap' }, c.value(r) ?? '') : c.value(r)),
      value: (r) => plain(c, r), export: !c.noExport,
    })),
    filters: filters.map((f, i) => ({ key: `f${i}`, label: f.label, options: f.options })),
    filter: (r, chosen) => filters.every((f, i) => !chosen[`f${i}`] || String(f.value(r)) === String(chosen[`f${i}`])),
  });
  if (rowAttrs) {
    const tbody = table.el.querySelector('tbody');
    const mark = () => tbody.querySelectorAll('tr').forEach((tr, i) => {
      const r = table.rows[i];
      if (!r) return;
      for (const [k, v] of Object.entries(rowAttrs(r))) {
        if (v === undefined || v === null) continue;
        if (k === 'class') tr.classList.add(...String(v).split(' '));
        else tr.setAttribute(k, v);
      }
    });
    new MutationObserver(mark).observe(tbody, { childList: true });
  }
  table.reload();
  table.el.classList.add('gov-table');
  return table.el;
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
