// 议定事项督办 (issue 16, point 1): every decided item (of meetings and patrols) with its
// workflow actions for the caller (督办, 进展报送, 办结, 复核不通过, 复核, 报告河长); overdue first.
import { api, qs } from '../../api.js';
import { state, h } from '../../state.js';
import { errorText } from '../../panel.js';
import { T, may } from '../gov/ui.js';
import { itemsTable } from '../gov/items.js';

export const SCREEN = {
  id: 'action-items', label: () => T('议定事项', 'Decided items'), permission: 'governance.read', group: 'governance',
  module: '/static/js/wb/screens/action-items.js',
};

/** Draw the screen into ``host`` (params.mine: only the caller's county or unit). */
export async function render(host, params = {}) {
  host.dataset.ready = '';
  const u = state.user || {};
  const focus = Number(params.id) || null; // #action-item-{id}
  const mine = params.mine ?? (!focus && ['county', 'liaison'].includes(u.role));
  const scope = mine && u.role === 'county' ? { county: u.county_code } : mine && u.role === 'liaison' ? { assignee_unit_id: u.liaison_unit_id } : {};
  try {
    const items = await api(`/api/v1/action-items${qs({ ...scope, limit: 5000 })}`);
    items.sort((a, b) => Number(b.id === focus) - Number(a.id === focus) || Number(b.overdue) - Number(a.overdue)
      || String(a.due_date).localeCompare(String(b.due_date)));
    // Only the items on which the API gives this caller a step now (督办, 办结, 复核 …).
    const actionable = Boolean(params.actionable);
    const shown = actionable ? items.filter((i) => i.allowed_actions.length) : items;
    const toggle = h('label', {}, h('input', { type: 'checkbox', checked: mine || undefined, onchange: (e) => render(host, { mine: e.target.checked, actionable }) }),
      T('只看交给本单位的', 'Only those assigned to me'));
    host.replaceChildren(h('div', { class: 'gov-tools' },
      ['county', 'liaison'].includes(u.role) ? toggle : '',
      may('action_items.update') ? h('button', { type: 'button', 'aria-pressed': String(actionable), onclick: () => render(host, { mine, actionable: !actionable }) },
        T('可办理的议定事项', 'Items I can act on')) : ''),
    itemsTable(shown, () => render(host, { mine, actionable }), { withMeeting: true }));
    host.dataset.ready = '1';
  } catch (err) {
    host.replaceChildren(h('p', { class: 'error' }, errorText(err)));
  }
}
