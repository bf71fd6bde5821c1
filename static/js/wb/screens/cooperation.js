// 跨界协作 (issue 16, point 7): cooperation agreements (create, edit, end), joint meetings
// (create; the next convener by rotation and when it is due), and the decided items the
// neighbour view shows.
import { api, qs } from '../../api.js';
import { state, h } from '../../state.js';
import { errorText } from '../../panel.js';
import { T, may, dialog, dataTable, run, rivers, localToday } from '../gov/ui.js';

export const SCREEN = {
  id: 'cooperation', label: () => T('跨界协作', 'Cross-boundary work'), permission: 'agreements.read', group: 'governance',
  module: '/static/js/wb/screens/cooperation.js',
};

const FOCUS = ['511100', '乐山市'];

async function cityOptions() {
  const list = await api('/api/v1/cross-boundary', { auth: false });
  return [FOCUS, ...list.map((n) => [n.neighbor_code, n.neighbor_name])];
}

async function agreementDialog(title, a) {
  const [cities, riverList] = await Promise.all([cityOptions(), rivers()]);
  const order = (a?.parties || []).map((p) => p.code);
  const values = await dialog(title, [
    { name: 'title', label: T('协议名称', 'Title'), required: true, value: a?.title },
    { name: 'document_no', label: T('协议编号', 'Number'), value: a?.document_no },
    { name: 'signed_on', label: T('签订日期', 'Signed on'), type: 'date', required: true, value: a?.signed_on ?? localToday() },
    { name: 'valid_until', label: T('有效期至', 'Valid until'), type: 'date', value: a?.valid_until },
    { name: 'first', label: T('第一召集方', 'First convener'), options: cities, required: true, value: order[0] ?? FOCUS[0] },
    { name: 'second', label: T('第二召集方', 'Second convener'), options: cities, required: true, value: order[1] },
    { name: 'third', label: T('第三召集方', 'Third convener'), options: cities, value: order[2] },
    { name: 'river_ids', label: T('涉及河流', 'Rivers'), options: riverList.map((r) => [r.id, r.name]), multiple: true, required: true, value: (a?.rivers || []).map((r) => r.river_id) },
    { name: 'meeting_interval_months', label: T('联席会议间隔（月）', 'Meeting interval (months)'), type: 'number', min: '1', max: '60', required: true, value: a?.meeting_interval_months ?? 12 },
    { name: 'notes', label: T('备注', 'Notes'), type: 'textarea', rows: 2, value: a?.notes },
  ]);
  if (!values) return null;
  return {
    title: values.title, document_no: values.document_no, signed_on: values.signed_on, valid_until: values.valid_until,
    rotation: [values.first, values.second, values.third].filter(Boolean),
    river_ids: values.river_ids.map(Number), meeting_interval_months: Number(values.meeting_interval_months), notes: values.notes,
  };
}

async function newJointMeeting(host, agreements, next) {
  const [officials, riverList] = await Promise.all([api('/api/v1/officials?limit=10000'), rivers()]);
  const values = await dialog(T('新建联席会议', 'New joint meeting'), [
    { name: 'agreement_id', label: T('合作协议', 'Agreement'), options: agreements.map((a) => [a.id, a.title]), required: true, value: agreements[0]?.id },
    { name: 'title', label: T('会议名称', 'Title'), required: true },
    { name: 'held_on', label: T('会议日期', 'Date'), type: 'date', required: true, value: localToday() },
    { name: 'place', label: T('地点', 'Place') },
    { name: 'convener_code', label: T('召集方', 'Convener'), options: [...new Map(agreements.flatMap((a) => a.parties.map((p) => [p.code, p.name]))).entries()], required: true, value: next[agreements[0]?.id]?.next_convener_code },
    { name: 'chair_official_id', label: T('主持人', 'Chair'), options: officials.map((o) => [o.id, `${o.name}${o.title ? ` · ${o.title}` : ''}`]), required: true },
    { name: 'river_ids', label: T('涉及河流', 'Rivers'), options: riverList.map((r) => [r.id, r.name]), multiple: true },
    { name: 'attendees', label: T('参会单位及人员（每行一个）', 'Participants (one per line)'), type: 'textarea', rows: 3 },
  ]);
  if (!values) return;
  const made = await run(() => api('/api/v1/meetings', {
    method: 'POST',
    json: {
      kind: 'joint', title: values.title, held_on: values.held_on, place: values.place, agreement_id: Number(values.agreement_id),
      convener_code: values.convener_code, chair_official_id: Number(values.chair_official_id), river_ids: values.river_ids.map(Number),
      attendees: (values.attendees || '').split(/\n|，|,/).map((s) => s.trim()).filter(Boolean),
    },
  }), (m) => T(`已新建联席会议：${m.title}`, `Joint meeting created: ${m.title}`));
  if (made) render(host);
}

async function neighbourItems(box, code) {
  box.replaceChildren(h('p', { class: 'muted' }, T('加载中…', 'Loading…')));
  const view = await api(`/api/v1/cross-boundary/${code}`);
  box.replaceChildren(dataTable({
    caption: T(`${view.neighbor_name}联席会议未办结议定事项`, `Open decided items with ${view.neighbor_name}`), rows: view.open_action_items, exportName: `joint-items-${code}`,
    rowAttrs: (i) => ({ class: i.overdue ? 'overdue' : undefined }),
    columns: [
      { label: T('会议', 'Meeting'), value: (i) => (may('governance.read') ? h('a', { href: `#meeting-${i.meeting_id}` }, i.meeting_title) : i.meeting_title), text: (i) => i.meeting_title },
      { label: T('会议日期', 'Held on'), value: (i) => i.meeting_held_on },
      { label: T('事项', 'Item'), value: (i) => i.title },
      { label: T('责任单位', 'Assignee'), value: (i) => i.assignee },
      { label: T('办理期限', 'Due'), value: (i) => i.due_date },
      { label: T('状态', 'State'), value: (i) => `${i.state_label}${i.overdue ? ` ${T('已逾期', 'overdue')}` : ''}` },
    ],
  }));
}

/** Draw the screen into ``host``. */
export async function render(host) {
  host.dataset.ready = '';
  try {
    const agreements = await api('/api/v1/cooperation-agreements?limit=1000');
    const nextList = await Promise.all(agreements.map((a) => api(`/api/v1/joint-meetings/next${qs({ agreement_id: a.id })}`).catch(() => null)));
    const next = Object.fromEntries(agreements.map((a, i) => [a.id, nextList[i]]));
    const meetings = may('governance.read') ? await api('/api/v1/meetings?kind=joint&limit=1000') : [];
    const office = may('agreements.write');
    const edit = (a) => async () => {
      const body = await agreementDialog(T(`修改协议：${a.title}`, `Edit: ${a.title}`), a);
      if (body && await run(() => api(`/api/v1/cooperation-agreements/${a.id}`, { method: 'PATCH', json: body }), T('协议已修改', 'Agreement updated'))) render(host);
    };
    const end = (a) => async () => {
      const values = await dialog(T(`终止协议：${a.title}`, `End: ${a.title}`), [
        { name: 'valid_until', label: T('终止日期', 'Last day'), type: 'date', required: true, value: localToday() }], { submit: T('终止', 'End') });
      if (values && await run(() => api(`/api/v1/cooperation-agreements/${a.id}`, { method: 'PATCH', json: values }), T('协议已终止', 'Agreement ended'))) render(host);
    };
    const remove = (a) => async () => {
      if (!(await dialog(T(`删除协议：${a.title}`, `Delete: ${a.title}`), [], { submit: T('删除', 'Delete') }))) return;
      if ((await run(() => api(`/api/v1/cooperation-agreements/${a.id}`, { method: 'DELETE' }), T('协议已删除', 'Agreement deleted'))) !== undefined) render(host);
    };
    const create = async () => {
      const body = await agreementDialog(T('新建合作协议', 'New agreement'));
      if (body && await run(() => api('/api/v1/cooperation-agreements', { method: 'POST', json: body }), T('协议已登记', 'Agreement recorded'))) render(host);
    };
    const viewer = state.user?.role === 'neighbor_viewer';
    const cities = viewer ? [[state.user.neighbor_code, '']] : (await cityOptions()).slice(1);
    const citySel = h('select', { 'aria-label': T('相邻市', 'Neighbour city') }, ...cities.map(([c, n]) => h('option', { value: c }, n || c)));
    const itemsBox = h('div');
    host.replaceChildren(
      h('section', { class: 'sub' }, h('h3', {}, T('合作协议', 'Agreements')),
        office ? h('button', { type: 'button', onclick: create }, T('新建合作协议', 'New agreement')) : '',
        dataTable({
          caption: T('跨界合作协议', 'Cooperation agreements'), rows: agreements, exportName: 'agreements',
          columns: [
            { label: T('协议名称', 'Title'), value: (a) => a.title },
            { label: T('编号', 'Number'), value: (a) => a.document_no },
            { label: T('签订日期', 'Signed'), value: (a) => a.signed_on },
            { label: T('有效期至', 'Valid until'), value: (a) => a.valid_until },
            { label: T('召集顺序', 'Rotation'), value: (a) => a.parties.map((p) => p.name).join(' → ') },
            { label: T('河流', 'Rivers'), value: (a) => a.rivers.map((r) => r.name).join('、') },
            { label: T('下次召集方', 'Next convener'), value: (a) => next[a.id]?.next_convener_name },
            { label: T('应召开日期', 'Due'), value: (a) => next[a.id]?.due_on },
            { label: T('操作', 'Actions'), noExport: true, text: () => '', value: (a) => (office ? h('span', { class: 'gov-actions' },
              h('button', { type: 'button', 'aria-label': `${T('修改', 'Edit')} ${a.title}`, onclick: edit(a) }, T('修改', 'Edit')),
              h('button', { type: 'button', 'aria-label': `${T('终止', 'End')} ${a.title}`, onclick: end(a) }, T('终止', 'End')),
              h('button', { type: 'button', 'aria-label': `${T('删除', 'Delete')} ${a.title}`, onclick: remove(a) }, T('删除', 'Delete'))) : '') },
          ],
        })),
      may('governance.read') ? h('section', { class: 'sub' }, h('h3', {}, T('联席会议', 'Joint meetings')),
        office ? h('button', { type: 'button', onclick: () => newJointMeeting(host, agreements, next) }, T('新建联席会议', 'New joint meeting')) : '',
        dataTable({
          caption: T('联席会议', 'Joint meetings'), rows: meetings, exportName: 'joint-meetings',
          columns: [
            { label: T('日期', 'Date'), value: (m) => m.held_on },
            { label: T('会议名称', 'Title'), value: (m) => h('a', { href: `#meeting-${m.id}` }, m.title), text: (m) => m.title },
            { label: T('召集方', 'Convener'), value: (m) => m.convener_code },
            { label: T('纪要文号', 'Minutes number'), value: (m) => m.document_number },
            { label: T('议定事项', 'Items'), value: (m) => m.action_items, num: true },
          ],
        })) : '',
      h('section', { class: 'sub' }, h('h3', {}, T('邻市视图的议定事项', "The neighbour view's decided items")),
        h('div', { class: 'gov-tools' }, citySel, h('button', { type: 'button', onclick: () => run(() => neighbourItems(itemsBox, citySel.value)) }, T('查看议定事项', 'Show decided items'))),
        itemsBox));
    host.dataset.ready = '1';
  } catch (err) {
    host.replaceChildren(h('p', { class: 'error' }, errorText(err)));
  }
}
