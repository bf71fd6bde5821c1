// 我的待办 (issue 15 item 2), the workbench's start page: counts by kind, then every item with
// its due date and whether it is overdue; a click opens what the item is about (the problem's
// panel, the patrols screen, a meeting …) through the shell's addresses (wb:go).
import { api } from '../../api.js';
import { h, emit } from '../../state.js';
import { createTable } from '../table.js';
import { wt } from '../text.js';

export const SCREEN = { id: 'todo', label: () => wt('todo.title'), permission: 'todo.read', group: 'daily' };

const kindLabel = (k) => { const s = wt(`tk.${k}`); return s === `tk.${k}` ? k : s; };

/** Follow an item's link: this page's addresses through the shell, other pages by navigation. */
export function follow(link) {
  const url = new URL(link, location.href);
  if (url.pathname === location.pathname) emit('wb:go', url.hash);
  else location.assign(url.href);
}

export async function render(host) {
  const data = await api('/api/v1/me/todo');
  const items = Array.isArray(data) ? data : data.items || [];
  const overdue = items.filter((i) => i.overdue).length;
  const counts = new Map();
  for (const i of items) counts.set(i.kind, (counts.get(i.kind) || 0) + 1);
  const table = createTable({
    id: 'todo',
    title: () => wt('todo.title'),
    columns: [
      { key: 'kind', label: wt('todo.kind'), value: (r) => kindLabel(r.kind), sort: true },
      { key: 'title', label: wt('todo.item'), sort: true,
        render: (r) => h('a', { href: r.link, class: 'wb-todo-link', onclick: (e) => { e.preventDefault(); follow(r.link); } }, r.title) },
      { key: 'due_date', label: wt('todo.due'), type: 'date', sort: true },
      { key: 'overdue', label: wt('todo.state'), sort: true,
        value: (r) => (r.overdue ? wt('todo.overdue') : wt('todo.ontime')),
        render: (r) => h('span', { class: r.overdue ? 'badge warn' : 'badge' }, r.overdue ? wt('todo.overdue') : wt('todo.ontime'),
          r.reminded ? ` · ${wt('todo.reminded')}` : '') },
    ],
    rows: items,
    filters: [
      { key: 'kind', label: wt('todo.kind'), options: [...counts.keys()].map((k) => [k, `${kindLabel(k)}（${counts.get(k)}）`]) },
      { key: 'overdue', label: wt('todo.overdue'), type: 'checkbox' },
    ],
    filter: (r, f) => (!f.kind || r.kind === f.kind) && (!f.overdue || r.overdue),
    sort: { key: 'due_date', order: 'asc' },
    pageSize: 25,
    onRow: (r) => follow(r.link),
    rowKey: (r) => r.key,
  });
  const chips = h('ul', { class: 'wb-chips', 'aria-label': wt('todo.kind') },
    [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => h('li', { class: 'chip' }, `${kindLabel(k)} ${n}`)));
  host.replaceChildren(
    h('p', { class: 'wb-summary' }, wt('todo.count', { n: items.length, o: overdue })),
    items.length ? chips : h('p', { class: 'muted' }, wt('todo.empty')),
    table.el);
  await table.reload();
}
