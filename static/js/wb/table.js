// Workbench data table (issue 15): columns, a search box, filters, sorting, paging that says how
// many rows there are (共 N 条), and export of what it shows as CSV (in the browser) and XLSX
// (POST /api/v1/exports/table.xlsx: text as string cells, numbers as numbers).
//
// API
//   import { createTable, listFetcher } from '/static/js/wb/table.js';
//   const table = createTable({
//     id: 'problems',                                  // unique on the page (element ids, file name)
//     title: () => '问题',                             // caption, export title and file name
//     columns: [
//       { key: 'id', label: '编号', type: 'number', sort: 'id' },     // sort: true | server sort key
//       { key: 'state_label', label: '状态', sort: 'state' },
//       { key: 'due_date', label: '办理期限', type: 'date', sort: true },
//       { key: 'river', label: '河流', render: (row) => node|string,  // cell content (default row[key])
//         value: (row) => 'exported value' },                          // export/search/sort value
//     ],                                                // type: 'text' (default) | 'number' | 'date'
//     // EITHER client-side rows (searched, filtered, sorted and paged in the browser):
//     rows: [...],                                      // or table.setRows(rows) later
//     filter: (row, filters) => boolean,                // client-side filters (default: row[key] == value)
//     // OR server-side: called with the table state, answers the page and the total:
//     fetch: async ({ q, filters, sort, order, limit, offset }) => ({ rows, total }),
//     search: { label: '搜索', placeholder: '编号、跟踪码或文字' },   // false: no search box
//     filters: [                                        // each a labelled control in the toolbar
//       { key: 'state', label: '状态', options: [['reported', '已上报'], ...] },
//       { key: 'from', label: '发现日期起', type: 'date' },
//       { key: 'overdue', label: '逾期', type: 'checkbox' },
//     ],
//     pageSize: 20,
//     sort: { key: 'id', order: 'desc' },               // initial sort
//     onRow: (row, tr) => {...},                        // click or Enter on a row opens it
//     rowKey: (row) => row.id,                          // for table.select(key)
//     tools: [buttonNode, ...],                         // extra controls in the toolbar
//   });
//   host.append(table.el);
//   await table.reload();          // (re)fetch with the current state; returns the rows shown
//   table.setRows(rows);           // client-side: replace all rows
//   table.select(key);             // mark the row of that key (aria-selected) and scroll to it
//   table.state                    // { q, filters, sort, order, page, pageSize, total }
//   table.exportRows()             // every row matching the current search/filters, sorted (≤ 10000)
//
//   // A server list with X-Total-Count (DEVELOPING.md "Lists"): maps the state to the query.
//   fetch: listFetcher('/api/v1/problems', (st) => ({ q: st.q, state: st.filters.state, ... }))
//   // default mapping: q, every filter by its key, sort=<key> or sort=-<key>, limit, offset.
//
// Exports go through the same fetch (server-side: pages of 1000 up to EXPORT_MAX rows), so a
// file holds every row matching the search and filters, not only the page on screen.
import { api, getToken, qs } from '../api.js';
import { h } from '../state.js';
import { wt } from './text.js';

export const EXPORT_MAX = 10000;
const EXPORT_PAGE = 1000;

/** A fetch() for a list endpoint answering a bare array with ``X-Total-Count``. */
export function listFetcher(path, toQuery) {
  return async (st) => {
    const sortParam = st.sort ? `${st.order === 'desc' ? '-' : ''}${st.sort}` : undefined;
    const base = toQuery ? toQuery(st) : { q: st.q, ...st.filters, sort: sortParam };
    const res = await api(`${path}${qs({ ...base, limit: st.limit, offset: st.offset })}`, { raw: true });
    const text = await res.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { data = text; }
    if (!res.ok) {
      const err = new Error(String(data?.detail ?? res.statusText));
      err.status = res.status;
      err.body = data;
      throw err;
    }
    const rows = Array.isArray(data) ? data : data?.items ?? [];
    const header = res.headers.get('X-Total-Count');
    const total = header !== null ? Number(header) : data?.total ?? rows.length;
    return { rows, total };
  };
}

/** The value a column exports, searches and sorts by. */
export function cellValue(col, row) {
  if (col.value) return col.value(row);
  return row[col.key];
}

function compare(a, b) {
  if (a === b) return 0;
  if (a === null || a === undefined || a === '') return 1;
  if (b === null || b === undefined || b === '') return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'zh-CN', { numeric: true });
}

function defaultFilter(row, filters) {
  return Object.entries(filters).every(([k, v]) => v === undefined || v === null || v === '' || v === false
    || String(row[k]) === String(v));
}

/** Save a Blob as a file (an object URL clicked by a hidden link, then released). */
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/** CSV text (RFC 4180, UTF-8 with BOM so Excel reads Chinese); text that a spreadsheet would
 * run as a formula (= + - @) is prefixed with ' so it stays text. */
export function toCsv(columns, rows) {
  const esc = (v, type) => {
    if (v === null || v === undefined) return '';
    let s = String(v);
    if (type !== 'number' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [columns.map((c) => esc(c.label)).join(',')];
  for (const r of rows) lines.push(r.map((v, i) => esc(v, columns[i].type)).join(','));
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

function fileName(title, ext) {
  const stamp = new Date().toISOString().slice(0, 10);
  return `${String(title).replace(/[\\/:*?"<>|\s]+/g, '_')}-${stamp}.${ext}`;
}

export function createTable(opts) {
  const id = opts.id || `t${Math.random().toString(36).slice(2, 8)}`;
  const columns = opts.columns;
  const title = () => (typeof opts.title === 'function' ? opts.title() : opts.title || id);
  const server = typeof opts.fetch === 'function';
  const st = {
    q: '', filters: {}, sort: opts.sort?.key ?? null, order: opts.sort?.order ?? 'asc',
    page: 0, pageSize: opts.pageSize || 20, total: 0,
  };
  let allRows = opts.rows || [];
  let shown = [];
  let selectedKey = null;
  let seq = 0;

  const status = h('span', { class: 'wb-total', role: 'status', id: `${id}-total` });
  const pageInfo = h('span', { class: 'wb-page' });
  const prev = h('button', { type: 'button', onclick: () => { st.page -= 1; reload(); } }, wt('prev'));
  const next = h('button', { type: 'button', onclick: () => { st.page += 1; reload(); } }, wt('next'));
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const tbody = h('tbody');
  const headRow = h('tr');
  const caption = h('caption', { class: 'sr' }, title());
  const tableEl = h('table', { class: 'wb-table', id: `${id}-table` }, caption, h('thead', {}, headRow), tbody);

  const toolbar = h('div', { class: 'wb-toolbar', role: 'search' });
  let searchTimer = null;
  if (opts.search !== false) {
    const input = h('input', {
      type: 'search', id: `${id}-q`, placeholder: opts.search?.placeholder ?? wt('search.placeholder'),
      'aria-label': opts.search?.label ?? wt('search'),
    });
    input.addEventListener('input', () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => { st.q = input.value.trim(); st.page = 0; reload(); }, 250);
    });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') { e.preventDefault(); clearTimeout(searchTimer); st.q = input.value.trim(); st.page = 0; reload(); }
    });
    toolbar.append(input);
  }
  for (const f of opts.filters || []) {
    let el;
    const set = (v) => { st.filters[f.key] = v; st.page = 0; reload(); };
    if (f.options) {
      el = h('select', { 'aria-label': f.label, id: `${id}-f-${f.key}` }, h('option', { value: '' }, wt('filter.all', { label: f.label })),
        ...f.options.map(([v, label]) => h('option', { value: String(v) }, label)));
      if (f.value !== undefined) { el.value = String(f.value); st.filters[f.key] = f.value; }
      el.addEventListener('change', () => set(el.value || null));
      toolbar.append(el);
    } else if (f.type === 'checkbox') {
      el = h('input', { type: 'checkbox', id: `${id}-f-${f.key}`, checked: f.value || undefined });
      if (f.value) st.filters[f.key] = true;
      el.addEventListener('change', () => set(el.checked || null));
      toolbar.append(h('label', { class: 'wb-check' }, el, ` ${f.label}`));
    } else {
      el = h('input', { type: f.type || 'text', 'aria-label': f.label, id: `${id}-f-${f.key}`, title: f.label, placeholder: f.label });
      if (f.value) { el.value = f.value; st.filters[f.key] = f.value; }
      el.addEventListener('change', () => set(el.value || null));
      toolbar.append(h('span', { class: 'wb-filter' }, h('span', { 'aria-hidden': 'true' }, f.label), el));
    }
  }
  const csv = h('button', { type: 'button', class: 'wb-export', onclick: () => exportAs('csv') }, wt('export.csv'));
  const xlsx = h('button', { type: 'button', class: 'wb-export', onclick: () => exportAs('xlsx') }, wt('export.xlsx'));
  toolbar.append(...(opts.tools || []), csv, xlsx);

  const sortButtons = new Map();
  for (const col of columns) {
    const th = h('th', { scope: 'col', class: col.type === 'number' ? 'num' : '' });
    if (col.sort) {
      const key = col.sort === true ? col.key : col.sort;
      const btn = h('button', { type: 'button', class: 'wb-sort', 'aria-label': wt('sort', { col: col.label }) }, col.label);
      btn.addEventListener('click', () => {
        if (st.sort === key) st.order = st.order === 'asc' ? 'desc' : 'asc';
        else { st.sort = key; st.order = col.type === 'text' || !col.type ? 'asc' : 'desc'; }
        st.page = 0;
        reload();
      });
      sortButtons.set(key, th);
      th.append(btn);
    } else th.append(col.label);
    headRow.append(th);
  }

  function markSort() {
    for (const [key, th] of sortButtons) {
      if (key === st.sort) th.setAttribute('aria-sort', st.order === 'asc' ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
  }

  /** Client-side: the rows matching the search and filters, sorted. */
  function clientRows() {
    const q = st.q.toLowerCase();
    const match = opts.filter || defaultFilter;
    let rows = allRows.filter((r) => match(r, st.filters));
    if (q) rows = rows.filter((r) => columns.some((c) => String(cellValue(c, r) ?? '').toLowerCase().includes(q)));
    if (st.sort) {
      const col = columns.find((c) => (c.sort === true ? c.key : c.sort) === st.sort) || { key: st.sort };
      rows = [...rows].sort((a, b) => compare(cellValue(col, a), cellValue(col, b)) * (st.order === 'desc' ? -1 : 1));
    }
    return rows;
  }

  function drawRows(rows) {
    shown = rows;
    tbody.replaceChildren(...(rows.length ? rows.map((row) => {
      const tr = h('tr', {}, ...columns.map((c) => {
        const content = c.render ? c.render(row) : cellValue(c, row);
        return h('td', { class: c.type === 'number' ? 'num' : c.type === 'date' ? 'date' : '' }, content ?? '');
      }));
      const key = opts.rowKey ? opts.rowKey(row) : row.id;
      tr.dataset.key = String(key);
      if (selectedKey !== null && String(key) === String(selectedKey)) tr.setAttribute('aria-selected', 'true');
      if (opts.onRow) {
        tr.tabIndex = 0;
        tr.classList.add('clickable');
        const open = (e) => {
          if (e.target.closest('a, button, input, select')) return;
          for (const other of tbody.querySelectorAll('tr[aria-selected]')) other.removeAttribute('aria-selected');
          tr.setAttribute('aria-selected', 'true');
          selectedKey = key;
          opts.onRow(row, tr);
        };
        tr.addEventListener('click', open);
        tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(e); });
      }
      return tr;
    }) : [h('tr', {}, h('td', { colspan: columns.length, class: 'muted' }, wt('empty')))]));
  }

  function drawPager() {
    const pages = Math.max(1, Math.ceil(st.total / st.pageSize));
    status.textContent = wt('total', { n: st.total });
    pageInfo.textContent = wt('page', { p: Math.min(st.page + 1, pages), n: pages });
    prev.disabled = st.page <= 0;
    next.disabled = st.page + 1 >= pages;
  }

  async function reload() {
    const mine = ++seq;
    markSort();
    error.hidden = true;
    let rows;
    try {
      if (server) {
        const res = await opts.fetch({ ...st, limit: st.pageSize, offset: st.page * st.pageSize });
        if (mine !== seq) return shown;
        st.total = res.total;
        rows = res.rows;
      } else {
        const all = clientRows();
        st.total = all.length;
        const pages = Math.max(1, Math.ceil(st.total / st.pageSize));
        if (st.page >= pages) st.page = pages - 1;
        rows = all.slice(st.page * st.pageSize, (st.page + 1) * st.pageSize);
      }
    } catch (err) {
      if (mine !== seq) return shown;
      error.textContent = wt('error', { msg: err.message });
      error.hidden = false;
      rows = [];
      st.total = 0;
    }
    drawRows(rows);
    drawPager();
    el.dataset.loaded = String(mine);
    return rows;
  }

  /** Every row matching the current search and filters, in the current order (≤ EXPORT_MAX). */
  async function exportRows() {
    if (!server) return clientRows().slice(0, EXPORT_MAX);
    const out = [];
    let total = Infinity;
    for (let offset = 0; offset < Math.min(total, EXPORT_MAX); offset += EXPORT_PAGE) {
      const res = await opts.fetch({ ...st, limit: Math.min(EXPORT_PAGE, EXPORT_MAX - offset), offset });
      total = res.total;
      out.push(...res.rows);
      if (res.rows.length === 0) break;
    }
    return out;
  }

  async function exportAs(kind) {
    error.hidden = true;
    try {
      const rows = await exportRows();
      const cols = columns.filter((c) => c.export !== false);
      const table = rows.map((r) => cols.map((c) => {
        const v = cellValue(c, r);
        if (v === undefined || v === null) return null;
        if (c.type === 'number') return typeof v === 'number' ? v : Number(v);
        if (typeof v === 'boolean') return v ? wt('yes') : wt('no');
        return String(v);
      }));
      const meta = cols.map((c) => ({ key: c.key, label: c.label, type: c.type || 'text' }));
      if (kind === 'csv') {
        saveBlob(new Blob([toCsv(meta, table)], { type: 'text/csv;charset=utf-8' }), fileName(title(), 'csv'));
      } else {
        const token = getToken();
        const res = await fetch('/api/v1/exports/table.xlsx', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ title: title(), columns: meta, rows: table }),
        });
        if (!res.ok) {
          const body = await res.json().catch(() => ({}));
          throw new Error(body.detail || res.statusText);
        }
        saveBlob(await res.blob(), fileName(title(), 'xlsx'));
      }
      status.textContent = st.total > rows.length ? wt('export.cap', { n: rows.length, total: st.total })
        : `${wt('total', { n: st.total })} · ${wt('export.done', { n: rows.length })}`;
    } catch (err) {
      error.textContent = wt('error', { msg: err.message });
      error.hidden = false;
    }
  }

  const el = h('div', { class: 'wb-tablebox', id, 'aria-label': title(), role: 'region' },
    toolbar, error, h('div', { class: 'wb-scroll' }, tableEl),
    h('div', { class: 'wb-pager' }, status, pageInfo, prev, next));

  return {
    el,
    state: st,
    reload,
    exportRows,
    exportAs,
    get rows() { return shown; },
    setRows(rows) { allRows = rows; st.page = 0; return reload(); },
    select(key) {
      selectedKey = key;
      for (const tr of tbody.querySelectorAll('tr')) {
        if (tr.dataset.key === String(key)) { tr.setAttribute('aria-selected', 'true'); tr.scrollIntoView({ block: 'nearest' }); } else tr.removeAttribute('aria-selected');
      }
    },
  };
}
