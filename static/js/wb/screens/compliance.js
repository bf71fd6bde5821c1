// 巡河履职 (issue 15 item 3): per official, patrols counted against the rule of their level, what
// is still missing and by when (``missing``), for a year; the same rows as XLSX by a click
// (GET /api/v1/compliance?format=xlsx through a single-use link, wb/download.js).
import { api } from '../../api.js';
import { h } from '../../state.js';
import { download } from '../download.js';
import { createTable } from '../table.js';
import { st } from '../text-staff.js';

export const SCREEN = { id: 'compliance', label: () => st('cp.title'), permission: 'compliance.read', group: 'patrols' };

export async function render(host, params = {}) {
  const thisYear = new Date().getFullYear();
  const years = [];
  for (let y = thisYear; y >= thisYear - 5; y -= 1) years.push(y);
  let year = Number(params.year) || thisYear;
  const status = h('p', { class: 'muted', role: 'status' });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const fail = (err) => { error.textContent = st('error', { msg: err.message }); error.hidden = false; };

  const yearSelect = h('select', { id: 'wb-compliance-year', 'aria-label': st('cp.year') },
    ...years.map((y) => h('option', { value: String(y), selected: y === year || undefined }, String(y))));
  yearSelect.addEventListener('change', () => { year = Number(yearSelect.value); load(); });
  const xlsx = h('button', { type: 'button', onclick: () => {
    error.hidden = true;
    download(`/api/v1/compliance?year=${year}&format=xlsx`, `compliance-${year}.xlsx`).catch(fail);
  } }, st('cp.xlsx'));

  const table = createTable({
    id: 'compliance',
    title: () => `${st('cp.title')} ${year}`,
    columns: [
      { key: 'name', label: st('cp.name') },
      { key: 'role', label: st('cp.role'), value: (r) => st(`cp.${r.role}`) },
      { key: 'level', label: st('cp.level') },
      { key: 'rule', label: st('cp.rule') },
      { key: 'total', label: st('cp.total'), type: 'number' },
      { key: 'required_total', label: st('cp.required'), type: 'number' },
      { key: 'h1', label: st('cp.h1'), type: 'number' },
      { key: 'h2', label: st('cp.h2'), type: 'number' },
      { key: 'compliant', label: st('cp.ok'), value: (r) => (r.compliant ? st('yes') : st('no')),
        render: (r) => (r.compliant ? st('yes') : h('span', { class: 'badge warn' }, st('no'))) },
      { key: 'missing', label: st('cp.missing'), value: (r) => (r.missing || []).join('；') },
      { key: 'coverage', label: st('cp.coverage'), type: 'number', value: (r) => (r.coverage == null ? null : Math.round(r.coverage * 1000) / 10) },
    ],
    rows: [],
    filters: [{ key: 'only_missing', label: st('cp.only_missing'), type: 'checkbox' }],
    filter: (r, f) => !f.only_missing || !r.compliant,
    pageSize: 25,
    tools: [h('span', { class: 'wb-filter' }, h('span', { 'aria-hidden': 'true' }, st('cp.year')), yearSelect), xlsx],
  });

  async function load() {
    error.hidden = true;
    try {
      table.setRows(await api(`/api/v1/compliance?year=${year}`));
    } catch (err) { fail(err); }
  }
  host.replaceChildren(table.el, status, error);
  await load();
}
