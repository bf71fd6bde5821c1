// 会议与纪要 (issue 16, point 1): meetings by kind and year; create one; its minutes drafted,
// approved by the chief who chaired and issued with the document number (actions named as
// service/governance/docflow.py names them: 修改, 审定, 退回修改, 印发); its decided items.
// ``render(host, {meeting_id})`` opens one meeting (the address #meeting-{id}).
import { api, qs } from '../../api.js';
import { state, h, emit } from '../../state.js';
import { errorText, facts } from '../../panel.js';
import { T, may, dialog, dataTable, run, localTime, stateBadge, yearSelect, thisYear, counties, units, rivers, localToday } from '../gov/ui.js';
import { itemsTable, assignItem } from '../gov/items.js';

export const SCREEN = {
  id: 'meetings', label: () => T('会议与纪要', 'Meetings and minutes'), permission: 'governance.read', group: 'governance',
  module: '/static/js/wb/screens/meetings.js',
};

export const KINDS = {
  general: () => T('总河长会议', 'General chief meeting'),
  onsite: () => T('巡河现场会议', 'On-site patrol meeting'),
  basin: () => T('流域专题会议', 'Basin meeting'),
  joint: () => T('联席会议', 'Joint meeting'),
  office: () => T('办公室会议', 'Office meeting'),
};
export const DOC_STATES = { drafted: () => T('起草中', 'Drafted'), approved: () => T('已审定', 'Approved'), issued: () => T('已印发', 'Issued') };
export const DOC_ACTIONS = {
  draft: () => T('起草', 'Draft'), revise: () => T('修改', 'Revise'), approve: () => T('审定', 'Approve'),
  return: () => T('退回修改', 'Return for revision'), issue: () => T('印发', 'Issue'),
};

const user = () => state.user || {};
const speaksForConvener = (m) => user().role === 'office' || (user().role === 'liaison' && m.convener_unit_id != null && user().liaison_unit_id === m.convener_unit_id);

/** Which minutes steps this caller may take now (the server decides again). */
function minutesActions(m, minutes) {
  const u = user();
  if (!minutes) return speaksForConvener(m) ? ['draft'] : [];
  const isChair = u.role === 'chief' && u.official_id != null && u.official_id === m.chair_official_id;
  const drafter = u.role === 'office' || (u.role === 'liaison' && u.liaison_unit_id != null && u.liaison_unit_id === minutes.drafting_unit_id);
  if (minutes.state === 'drafted') return [...(drafter ? ['revise'] : []), ...(isChair ? ['approve'] : [])];
  if (minutes.state === 'approved') return [...(isChair ? ['return'] : []), ...(u.role === 'office' ? ['issue'] : [])];
  return [];
}

async function minutesStep(m, minutes, action) {
  const label = DOC_ACTIONS[action]();
  if (action === 'draft' || action === 'revise') {
    const values = await dialog(`${label}${T('会议纪要', ' the minutes')}：${m.title}`, [
      { name: 'body', label: T('纪要正文', 'Minutes text'), type: 'textarea', rows: 10, required: true, value: minutes?.body ?? '' },
    ]);
    if (!values) return null;
    if (action === 'draft') {
      return run(() => api(`/api/v1/meetings/${m.id}/minutes`, { method: 'POST', json: { body: values.body } }), T('纪要已起草', 'Minutes drafted'));
    }
    return run(() => api(`/api/v1/meetings/${m.id}/minutes/transitions`, { method: 'POST', json: { action, body: values.body } }), T('纪要已修改', 'Minutes revised'));
  }
  const values = await dialog(`${label}：${m.title}`, [
    { name: 'note', label: T('意见', 'Note'), type: 'textarea', rows: 3, required: action === 'return' },
  ]);
  if (!values) return null;
  return run(() => api(`/api/v1/meetings/${m.id}/minutes/transitions`, { method: 'POST', json: { action, note: values.note } }),
    (out) => (out.document_number ? T(`已印发，文号 ${out.document_number}`, `Issued as ${out.document_number}`) : T(`已${label}`, `${label}: done`)));
}

async function officialOptions() {
  const list = await api('/api/v1/officials?limit=10000');
  return list.map((o) => [o.id, `${o.name}${o.title ? ` · ${o.title}` : ''}`]);
}

async function createMeeting(host) {
  const [officials, unitOpts, riverList] = await Promise.all([officialOptions(), units(), rivers()]);
  const kinds = Object.entries(KINDS).filter(([k]) => k !== 'joint')
    .filter(([k]) => user().role === 'office' || ['onsite', 'basin'].includes(k));
  const values = await dialog(T('新建会议', 'New meeting'), [
    { name: 'kind', label: T('会议类型', 'Kind'), options: kinds.map(([k, f]) => [k, f()]), required: true, value: 'onsite' },
    { name: 'title', label: T('会议名称', 'Title'), required: true },
    { name: 'held_on', label: T('会议日期', 'Date'), type: 'date', required: true, value: localToday() },
    { name: 'place', label: T('地点', 'Place') },
    { name: 'chair_official_id', label: T('主持人', 'Chair'), options: officials, required: true },
    { name: 'convener_unit_id', label: T('组织单位（巡河现场会议、流域专题会议）', 'Organising unit (on-site, basin)'), options: unitOpts,
      value: user().role === 'liaison' ? user().liaison_unit_id : undefined },
    { name: 'river_ids', label: T('涉及河流', 'Rivers'), options: riverList.map((r) => [r.id, r.name]), multiple: true },
    { name: 'attendees', label: T('参会单位及人员（每行一个）', 'Participants (one per line)'), type: 'textarea', rows: 3 },
    { name: 'summary', label: T('会议摘要', 'Summary'), type: 'textarea', rows: 3 },
  ]);
  if (!values) return;
  const made = await run(() => api('/api/v1/meetings', {
    method: 'POST',
    json: {
      kind: values.kind, title: values.title, held_on: values.held_on, place: values.place,
      chair_official_id: Number(values.chair_official_id),
      convener_unit_id: values.convener_unit_id && ['onsite', 'basin'].includes(values.kind) ? Number(values.convener_unit_id) : null,
      river_ids: values.river_ids.map(Number),
      attendees: (values.attendees || '').split(/\n|，|,/).map((s) => s.trim()).filter(Boolean),
      summary: values.summary,
    },
  }), (m) => T(`已新建会议：${m.title}`, `Meeting created: ${m.title}`));
  if (made) emit('wb:go', `#meeting-${made.id}`);
}

async function showMeeting(host, id) {
  const [m, riverList, unitOpts, countyOpts] = await Promise.all([
    api(`/api/v1/meetings/${id}`), rivers(), units(), counties()]);
  const minutes = m.minutes_state ? await api(`/api/v1/meetings/${id}/minutes`) : null;
  const items = await api(`/api/v1/action-items${qs({ meeting_id: id, limit: 1000 })}`);
  const riverNames = Object.fromEntries(riverList.map((r) => [r.id, r.name]));
  const refresh = () => showMeeting(host, id);
  const back = h('button', { type: 'button', onclick: () => emit('wb:go', '#wb-meetings') }, T('返回会议列表', 'Back to meetings'));
  const minutesBox = h('section', { class: 'sub minutes', 'aria-label': T('会议纪要', 'Minutes') },
    h('h3', {}, T('会议纪要', 'Minutes')));
  if (minutes) {
    minutesBox.append(
      facts([
        [T('状态', 'State'), stateBadge(DOC_STATES[minutes.state]?.() ?? minutes.state, minutes.state)],
        [T('文号', 'Document number'), minutes.document_number ? h('strong', { class: 'docno' }, minutes.document_number) : null],
        [T('审定日期', 'Approved on'), minutes.approved_on],
      ]),
      h('pre', { class: 'minutes-body' }, minutes.body),
      h('ol', { class: 'plain history', 'aria-label': T('办理记录', 'History') }, ...minutes.history.map((e) =>
        h('li', {}, `${localTime(e.at)} ${DOC_ACTIONS[e.action]?.() ?? e.action}${e.data?.document_number ? ` ${e.data.document_number}` : ''}${e.note ? `：${e.note}` : ''}`))));
  } else {
    minutesBox.append(h('p', { class: 'muted' }, T('尚未起草纪要', 'No minutes yet')));
  }
  minutesBox.append(h('div', { class: 'gov-actions' }, ...minutesActions(m, minutes).map((a) => h('button', {
    type: 'button', onclick: async () => { if (await minutesStep(m, minutes, a)) refresh(); },
  }, a === 'draft' ? T('起草纪要', 'Draft the minutes') : DOC_ACTIONS[a]()))));

  const itemsBox = h('section', { class: 'sub' }, h('h3', {}, T('议定事项', 'Decided items')),
    speaksForConvener(m) && may('meetings.write')
      ? h('button', { type: 'button', onclick: async () => { if (await assignItem({ ...m, riverNames }, unitOpts, countyOpts)) refresh(); } }, T('交办议定事项', 'Assign a decided item')) : '',
    itemsTable(items, refresh, { caption: T(`${m.title}的议定事项`, `Decided items of ${m.title}`) }));
  const del = speaksForConvener(m) && m.minutes_state !== 'issued'
    ? h('button', {
      type: 'button', class: 'danger',
      onclick: async () => {
        if (!(await dialog(T(`删除会议：${m.title}`, `Delete meeting: ${m.title}`), [], { submit: T('删除', 'Delete') }))) return;
        if ((await run(() => api(`/api/v1/meetings/${m.id}`, { method: 'DELETE' }), T('会议已删除', 'Meeting deleted'))) !== undefined) emit('wb:go', '#wb-meetings');
      },
    }, T('删除会议', 'Delete meeting')) : '';
  host.replaceChildren(
    h('div', { class: 'gov-head' }, back, del),
    h('article', { class: 'meeting', 'aria-label': m.title, 'data-meeting': m.id },
      h('h3', {}, m.title),
      facts([
        [T('会议类型', 'Kind'), KINDS[m.kind]?.() ?? m.kind],
        [T('会议日期', 'Date'), m.held_on], [T('地点', 'Place'), m.place],
        [T('主持人', 'Chair'), m.chair_name], [T('组织单位', 'Organiser'), m.convener],
        [T('涉及河流', 'Rivers'), m.river_ids.map((r) => riverNames[r] ?? r).join('、')],
        [T('参会单位及人员', 'Participants'), m.attendees.join('、')], [T('会议摘要', 'Summary'), m.summary],
      ]),
      minutesBox, itemsBox));
  host.dataset.ready = '1';
}

async function showList(host, params) {
  const year = Number(params.year) || thisYear();
  const kind = params.kind || '';
  const list = await api(`/api/v1/meetings${qs({ kind, from: `${year}-01-01`, to: `${year}-12-31`, limit: 1000 })}`);
  const kindSel = h('select', { 'aria-label': T('会议类型', 'Kind') }, h('option', { value: '' }, T('全部类型', 'All kinds')),
    ...Object.entries(KINDS).map(([k, f]) => h('option', { value: k }, f())));
  kindSel.value = kind;
  kindSel.addEventListener('change', () => render(host, { year, kind: kindSel.value }));
  const open = (m) => h('button', { type: 'button', 'aria-label': `${T('打开', 'Open')} ${m.title}`, onclick: () => emit('wb:go', `#meeting-${m.id}`) }, T('打开', 'Open'));
  host.replaceChildren(
    h('div', { class: 'gov-tools' },
      yearSelect(year, (y) => render(host, { year: y, kind })), kindSel,
      may('meetings.write') && ['office', 'liaison'].includes(user().role)
        ? h('button', { type: 'button', onclick: () => createMeeting(host) }, T('新建会议', 'New meeting')) : ''),
    dataTable({
      caption: T(`${year}年会议`, `Meetings of ${year}`), exportName: `meetings-${year}`,
      rows: list,
      filters: [{ label: T('纪要状态', 'Minutes'), value: (m) => m.minutes_state ?? 'none', options: [['none', T('未起草', 'None')], ...Object.entries(DOC_STATES).map(([k, f]) => [k, f()])] }],
      columns: [
        { label: T('日期', 'Date'), value: (m) => m.held_on, nowrap: true },
        { label: T('类型', 'Kind'), value: (m) => KINDS[m.kind]?.() ?? m.kind },
        { label: T('会议名称', 'Title'), value: (m) => m.title },
        { label: T('主持人', 'Chair'), value: (m) => m.chair_name },
        { label: T('组织单位', 'Organiser'), value: (m) => m.convener },
        { label: T('纪要', 'Minutes'), value: (m) => (m.minutes_state ? DOC_STATES[m.minutes_state]?.() : T('未起草', 'None')) },
        { label: T('文号', 'Number'), value: (m) => m.document_number },
        { label: T('议定事项', 'Items'), value: (m) => m.action_items, num: true },
        { label: T('操作', 'Actions'), value: open, text: () => '', noExport: true },
      ],
    }));
  host.dataset.ready = '1';
}

/** Draw the screen into ``host``: the list (params.year, params.kind), or one meeting
 * (params.id: the address #meeting-{id} opens it through the workbench shell). */
export async function render(host, params = {}) {
  host.dataset.ready = '';
  try {
    const id = Number(params.id ?? params.meeting_id);
    if (id) await showMeeting(host, id);
    else await showList(host, params);
  } catch (err) {
    host.replaceChildren(h('p', { class: 'error' }, errorText(err)));
  }
}
