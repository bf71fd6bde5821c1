// 议定事项督办 (issue 16, point 1): every decided item (of meetings and patrols) with its
// workflow actions for the caller (督办, 进展报送, 办结, 复核不通过, 复核, 报告河长); overdue first.
import { api, qs } from '../../api.js';
import { state, h } from '../../state.js';
import { errorText } from '../../panel.js';
import { T } from '../gov/ui.js';
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
    const toggle = h('label', {}, h('input', { type: 'checkbox', checked: mine || undefined, onchange: (e) => render(host, { mine: e.target.checked }) }),
      T('只看交给本单位的', 'Only those assigned to me'));
    host.replaceChildren(['county', 'liaison'].includes(u.role) ? h('div', { class: 'gov-tools' }, toggle) : '',
      itemsTable(items, () => render(host, { mine }), { withMeeting: true }));
    host.dataset.ready = '1';
  } catch (err) {
    host.replaceChildren(h('p', { class: 'error' }, errorText(err)));
  }
}
