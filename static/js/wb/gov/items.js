// Decided items (会议议定事项, 巡河确定事项): their table and the workflow actions named as
// service/governance/meetings/workflow.py names them (督办, 进展报送, 办结, 复核不通过, 复核, 报告河长).
import { api } from '../../api.js';
import { h } from '../../state.js';
import { T, dialog, dataTable, run, localTime, stateBadge, localToday } from './ui.js';

export const ITEM_ACTIONS = {
  supervise: () => T('督办', 'Supervise'),
  progress: () => T('进展报送', 'Report progress'),
  done: () => T('办结', 'Done'),
  reject: () => T('复核不通过', 'Reject'),
  verify: () => T('复核', 'Verify'),
  report: () => T('报告河长', 'Report to chief'),
};
const NEEDS_NOTE = new Set(['progress', 'done', 'reject']);
export const ITEM_STATES = {
  assigned: () => T('已交办', 'Assigned'), supervised: () => T('督办中', 'Supervised'),
  in_progress: () => T('落实中', 'In progress'), done: () => T('已完成', 'Done'),
  verified: () => T('已复核', 'Verified'), reported: () => T('已报告', 'Reported'),
};

/** Take ``action`` on an item (asking for the note it needs); resolves with the new item. */
export async function stepItem(item, action) {
  const label = ITEM_ACTIONS[action]();
  const values = await dialog(`${label}：${item.title}`, [
    { name: 'note', label: T('说明', 'Note'), type: 'textarea', rows: 3, required: NEEDS_NOTE.has(action) },
  ]);
  if (!values) return null;
  return run(() => api(`/api/v1/action-items/${item.id}/transitions`, { method: 'POST', json: { action, note: values.note } }),
    T(`已${label}：${item.title}`, `${label}: ${item.title}`));
}

function actions(item, refresh) {
  return h('span', { class: 'gov-actions' }, ...item.allowed_actions.map((a) => h('button', {
    type: 'button', 'aria-label': `${ITEM_ACTIONS[a]()} ${item.title}`,
    onclick: async () => { if (await stepItem(item, a)) refresh(); },
  }, ITEM_ACTIONS[a]())));
}

function historyText(item) {
  return item.history.map((e) => `${localTime(e.at)} ${ITEM_ACTIONS[e.action]?.() ?? T('交办', 'Assign')}${e.note ? `：${e.note}` : ''}`).join('\n');
}

/** The table of decided items with their actions; overdue ones stand out. */
export function itemsTable(items, refresh, { caption = T('议定事项', 'Decided items'), withMeeting = false } = {}) {
  const columns = [
    { label: T('事项', 'Item'), value: (i) => h('span', { title: historyText(i) }, i.title) },
    ...(withMeeting ? [{
      label: T('来源', 'From'),
      value: (i) => (i.meeting_id ? h('a', { href: `#meeting-${i.meeting_id}` }, T(`会议 #${i.meeting_id}`, `Meeting #${i.meeting_id}`)) : T(`巡河 #${i.patrol_id}`, `Patrol #${i.patrol_id}`)),
      text: (i) => (i.meeting_id ? `meeting ${i.meeting_id}` : `patrol ${i.patrol_id}`),
    }] : []),
    { label: T('责任单位', 'Assignee'), value: (i) => i.assignee_name },
    { label: T('办理期限', 'Due'), value: (i) => i.due_date },
    { label: T('状态', 'State'), value: (i) => h('span', {}, stateBadge(ITEM_STATES[i.state]?.() ?? i.state), i.overdue ? stateBadge(T('已逾期', 'Overdue'), 'overdue') : ''), text: (i) => `${ITEM_STATES[i.state]?.() ?? i.state}${i.overdue ? ` ${T('已逾期', 'Overdue')}` : ''}` },
    { label: T('办结日期', 'Done on'), value: (i) => i.done_on },
    { label: T('操作', 'Actions'), value: (i) => actions(i, refresh), text: () => '', noExport: true },
  ];
  return dataTable({
    caption, columns, rows: items, exportName: 'action-items',
    filters: [
      { label: T('状态', 'State'), value: (i) => i.state, options: Object.entries(ITEM_STATES).map(([k, f]) => [k, f()]) },
      { label: T('逾期', 'Overdue'), value: (i) => (i.overdue ? 'yes' : 'no'), options: [['yes', T('已逾期', 'Overdue')], ['no', T('未逾期', 'Not overdue')]] },
    ],
    rowAttrs: (i) => ({ class: i.overdue ? 'overdue' : undefined, 'data-item': i.id }),
  });
}

/** Ask for a new decided item of a meeting (交办): title, unit or county, due date. */
export async function assignItem(meeting, unitOptions, countyOptions) {
  const values = await dialog(T('交办议定事项', 'Assign a decided item'), [
    { name: 'title', label: T('事项内容', 'Item'), required: true },
    { name: 'detail', label: T('具体要求', 'Detail'), type: 'textarea', rows: 3 },
    { name: 'assignee_unit_id', label: T('责任单位', 'Responsible unit'), options: unitOptions },
    { name: 'assignee_county', label: T('责任区县', 'Responsible county'), options: countyOptions },
    { name: 'river_id', label: T('河流', 'River'), options: meeting.river_ids.map((id) => [id, meeting.riverNames?.[id] ?? `#${id}`]), value: meeting.river_ids[0] },
    { name: 'due_date', label: T('办理期限', 'Due date'), type: 'date', required: true, value: localToday() },
  ]);
  if (!values) return null;
  return run(() => api(`/api/v1/meetings/${meeting.id}/action-items`, {
    method: 'POST',
    json: {
      title: values.title, detail: values.detail, due_date: values.due_date,
      river_id: values.river_id ? Number(values.river_id) : null,
      assignee_unit_id: values.assignee_unit_id ? Number(values.assignee_unit_id) : null,
      assignee_county: values.assignee_county,
    },
  }), T(`已交办：${values.title}`, `Assigned: ${values.title}`));
}
