// 审计日志 (issue 15 item 4, office): every audited write, newest first, filtered by who (account
// id or actor name), action, object (table and row id) and period, with the total and paging.
import { h } from '../../state.js';
import { localTime } from '../../i18n.js';
import { createTable, listFetcher } from '../table.js';
import { st } from '../text-staff.js';

export const SCREEN = { id: 'audit', label: () => st('au.title'), permission: 'audit.read', group: 'admin' };

const ACTIONS = ['insert', 'update', 'delete', 'bulk_insert', 'bulk_update', 'bulk_delete'];

function changes(row) {
  const keys = new Set([...Object.keys(row.before || {}), ...Object.keys(row.after || {})]);
  return [...keys].slice(0, 8).map((k) => {
    const a = row.before?.[k];
    const b = row.after?.[k];
    if (row.action === 'insert') return `${k}=${JSON.stringify(b)}`;
    if (row.action === 'delete') return `${k}=${JSON.stringify(a)}`;
    return `${k}: ${JSON.stringify(a)} → ${JSON.stringify(b)}`;
  }).join('；');
}

export async function render(host, params = {}) {
  const table = createTable({
    id: 'audit',
    title: () => st('au.title'),
    columns: [
      { key: 'id', label: 'ID', type: 'number' },
      { key: 'at', label: st('au.at'), type: 'date', value: (r) => localTime(r.at) },
      { key: 'actor', label: st('au.actor') },
      { key: 'action', label: st('au.action'), value: (r) => st(`act.${r.action}`) },
      { key: 'table_name', label: st('au.table') },
      { key: 'row_id', label: st('au.row') },
      { key: 'request', label: st('au.request') },
      { key: 'changes', label: st('au.changes'), value: changes, render: (r) => h('span', { class: 'wb-clip', title: changes(r) }, changes(r).slice(0, 120)) },
    ],
    fetch: listFetcher('/api/v1/audit', (s) => ({
      actor: s.filters.actor, actor_id: s.filters.actor_id, action: s.filters.action,
      table: s.filters.table, row_id: s.filters.row_id, from: s.filters.from, to: s.filters.to,
    })),
    search: false,
    filters: [
      { key: 'actor', label: st('au.actor.f'), value: params.actor },
      { key: 'actor_id', label: st('au.actor_id'), type: 'number', value: params.actor_id },
      { key: 'action', label: st('au.action'), options: ACTIONS.map((a) => [a, st(`act.${a}`)]), value: params.action },
      { key: 'table', label: st('au.table'), value: params.table },
      { key: 'row_id', label: st('au.row'), value: params.row_id },
      { key: 'from', label: st('au.from'), type: 'date', value: params.from },
      { key: 'to', label: st('au.to'), type: 'date', value: params.to },
    ],
    pageSize: 25,
  });
  host.replaceChildren(table.el);
  await table.reload();
}
