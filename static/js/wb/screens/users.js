// 账号管理 (issue 15 item 4, office): accounts in a table (search by name, filter by role and
// disabled) with the total; create an account; set its role and binding; disable or enable it;
// reset its password (a generated one, shown once); unlock it after failed sign-ins.
import { api } from '../../api.js';
import { h, state } from '../../state.js';
import { localTime } from '../../i18n.js';
import { confirmDialog, formDialog } from '../dialog.js';
import { createTable, listFetcher } from '../table.js';
import { ROLES, st } from '../text-staff.js';

export const SCREEN = { id: 'users', label: () => st('us.title'), permission: 'users.admin', group: 'admin' };

const BINDINGS = ['official_id', 'liaison_unit_id', 'county_code', 'township_code', 'neighbor_code'];
const roleOptions = () => ROLES.map((r) => [r, st(`role.${r}`)]);

function binding(u) {
  return BINDINGS.filter((k) => u[k] !== null && u[k] !== undefined).map((k) => `${st(`us.${k}`)} ${u[k]}`).join('，');
}

function bindingFields(u = {}) {
  return [
    { name: 'official_id', label: st('us.official_id'), type: 'number', min: 1, step: 1, value: u.official_id ?? undefined },
    { name: 'liaison_unit_id', label: st('us.liaison_unit_id'), type: 'number', min: 1, step: 1, value: u.liaison_unit_id ?? undefined },
    { name: 'county_code', label: st('us.county_code'), maxlength: 12, value: u.county_code ?? undefined },
    { name: 'township_code', label: st('us.township_code'), maxlength: 9, value: u.township_code ?? undefined },
    { name: 'neighbor_code', label: st('us.neighbor_code'), maxlength: 12, value: u.neighbor_code ?? undefined },
  ];
}

function bindingBody(v) {
  const out = {};
  for (const k of BINDINGS) out[k] = v[k] === undefined || v[k] === '' || Number.isNaN(v[k]) ? null : v[k];
  return out;
}

export async function render(host) {
  const status = h('p', { class: 'muted', role: 'status', id: 'wb-users-status' });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const fail = (err) => { error.textContent = st('error', { msg: err.message }); error.hidden = false; };
  const say = (text) => { error.hidden = true; status.textContent = text; };

  async function create() {
    let created = null;
    const values = await formDialog({
      title: st('us.create'),
      fields: [
        { name: 'username', label: st('us.username'), required: true, maxlength: 64 },
        { name: 'role', label: st('us.role'), options: roleOptions(), required: true, value: 'county' },
        { name: 'password', label: st('us.password'), type: 'password', maxlength: 256 },
        ...bindingFields(),
      ],
      submit: async (v) => {
        created = await api('/api/v1/users', { method: 'POST', json: { username: v.username, role: v.role, password: v.password || null, ...bindingBody(v) } });
      },
    });
    if (!values || !created) return;
    say(created.password ? st('us.created.pw', { name: created.username, pw: created.password }) : st('us.created.ok', { name: created.username }));
    await table.reload();
    table.select(created.id);
  }

  async function edit(u) {
    const values = await formDialog({
      title: st('us.edit.title', { name: u.username }),
      fields: [{ name: 'role', label: st('us.role'), options: roleOptions(), required: true, value: u.role }, ...bindingFields(u)],
      submit: (v) => api(`/api/v1/users/${u.id}`, { method: 'PATCH', json: { role: v.role, ...bindingBody(v) } }),
    });
    if (values) { say(st('us.done', { name: u.username })); await table.reload(); }
  }

  async function setDisabled(u, disabled) {
    if (disabled && !(await confirmDialog(st('us.disable', { name: u.username }), st('us.confirm.disable', { name: u.username })))) return;
    try {
      await api(`/api/v1/users/${u.id}`, { method: 'PATCH', json: { disabled } });
      say(st('us.done', { name: u.username }));
      await table.reload();
    } catch (err) { fail(err); }
  }

  async function reset(u) {
    if (!(await confirmDialog(st('us.reset', { name: u.username }), st('us.confirm.reset', { name: u.username })))) return;
    try {
      const out = await api(`/api/v1/users/${u.id}/password`, { method: 'POST', json: { generate: true } });
      say(st('us.reset.pw', { name: u.username, pw: out.password }));
      await table.reload();
    } catch (err) { fail(err); }
  }

  async function unlock(u) {
    try {
      await api(`/api/v1/users/${u.id}/unlock`, { method: 'POST' });
      say(st('us.done', { name: u.username }));
      await table.reload();
    } catch (err) { fail(err); }
  }

  const locked = (u) => u.locked_until && new Date(u.locked_until) > new Date();
  const self = () => state.user?.id;
  const actions = (u) => h('span', { class: 'wb-actions' },
    h('button', { type: 'button', 'aria-label': st('us.edit', { name: u.username }), onclick: (e) => { e.stopPropagation(); edit(u); } }, '角色与绑定'),
    u.disabled
      ? h('button', { type: 'button', 'aria-label': st('us.enable', { name: u.username }), onclick: (e) => { e.stopPropagation(); setDisabled(u, false); } }, '启用')
      : u.id === self() ? '' : h('button', { type: 'button', 'aria-label': st('us.disable', { name: u.username }), onclick: (e) => { e.stopPropagation(); setDisabled(u, true); } }, '停用'),
    h('button', { type: 'button', 'aria-label': st('us.reset', { name: u.username }), onclick: (e) => { e.stopPropagation(); reset(u); } }, '重置密码'),
    locked(u) || u.failed_logins > 0
      ? h('button', { type: 'button', 'aria-label': st('us.unlock', { name: u.username }), onclick: (e) => { e.stopPropagation(); unlock(u); } }, '解锁')
      : '');

  const table = createTable({
    id: 'users',
    title: () => st('us.title'),
    columns: [
      { key: 'id', label: 'ID', type: 'number' },
      { key: 'username', label: st('us.username') },
      { key: 'role', label: st('us.role'), value: (u) => st(`role.${u.role}`) },
      { key: 'binding', label: st('us.binding'), value: binding },
      { key: 'state', label: st('us.state'), value: (u) => (u.disabled ? st('us.disabled') : locked(u) ? st('us.locked') : st('us.active')) },
      { key: 'created_at', label: st('us.created'), type: 'date', value: (u) => localTime(u.created_at).slice(0, 16) },
      { key: 'actions', label: st('us.actions'), export: false, render: actions, value: () => '' },
    ],
    fetch: listFetcher('/api/v1/users', (s) => ({ q: s.q || undefined, role: s.filters.role, disabled: s.filters.disabled ? 'true' : undefined })),
    search: { label: st('us.username'), placeholder: st('us.username') },
    filters: [
      { key: 'role', label: st('us.role'), options: roleOptions() },
      { key: 'disabled', label: st('us.filter.disabled'), type: 'checkbox' },
    ],
    pageSize: 25,
    rowKey: (u) => u.id,
    tools: [h('button', { type: 'button', onclick: () => create().catch(fail) }, st('us.create'))],
  });
  host.replaceChildren(table.el, status, error);
  await table.reload();
}
