// My to-do (我的待办, issue 10): shown only when the server offers GET /api/v1/me/todo.
import { api } from './api.js';
import { h, can, on, state } from './state.js';
import { t } from './i18n.js';
import { openPanel, errorText, setView } from './panel.js';

async function showTodo() {
  let items = [];
  try { items = await api('/api/v1/me/todo'); } catch (err) { openPanel(t('todo.title'), h('p', { class: 'error' }, errorText(err))); return; }
  const list = Array.isArray(items) ? items : items.items || [];
  openPanel(t('todo.title'), list.length ? h('ul', { class: 'plain todo' }, list.map((i) => h('li', { class: i.overdue ? 'warn' : '' },
    i.link ? h('a', { href: i.link }, i.title) : i.title, i.due_date ? ` · ${t('todo.due', { d: i.due_date })}` : '',
    i.reminded ? h('span', { class: 'reminded' }, ` · ${t('todo.reminded')}`) : ''))) : h('p', { class: 'muted' }, t('todo.empty')));
}

export function initTodo() {
  if (!can('todo')) return;
  document.getElementById('btn-todo').addEventListener('click', () => setView(showTodo));
  on('auth:changed', () => { if (!state.user) document.getElementById('btn-todo').hidden = true; });
}
