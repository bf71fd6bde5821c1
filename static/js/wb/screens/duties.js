// 年度履职事项 (issue 16, point 6): every periodic duty of the seed for a year with its status
// (met, pending, missed) and evidence, linking to the meeting, patrol or document that met it.
import { api, qs } from '../../api.js';
import { h } from '../../state.js';
import { errorText } from '../../panel.js';
import { T, dataTable, yearSelect, thisYear } from '../gov/ui.js';

export const SCREEN = {
  id: 'duties', label: () => T('年度履职事项', 'Duties of the year'), permission: 'governance.read', group: 'governance',
  module: '/static/js/wb/screens/duties.js',
};

const STATUS = { met: () => T('已完成', 'Met'), pending: () => T('待完成', 'Pending'), missed: () => T('未完成', 'Missed') };

const links = (label, ids, href) => (ids?.length
  ? h('span', {}, `${label} `, ...ids.flatMap((id, i) => [i ? '、' : '', href ? h('a', { href: href(id) }, `#${id}`) : `#${id}`]), '；') : '');

/** The evidence of a duty as links to the records that met it (or say what is missing). */
function evidence(d) {
  const e = d.evidence || {};
  return h('span', { class: 'evidence' },
    links(T('会议', 'Meetings'), e.meeting_ids, (id) => `#meeting-${id}`),
    links(T('已印发纪要的会议', 'Minutes issued'), e.issued_meeting_ids, (id) => `#meeting-${id}`),
    links(T('纪要未印发的会议', 'Minutes not issued'), e.not_issued_meeting_ids, (id) => `#meeting-${id}`),
    links(T('巡河', 'Patrols'), e.patrol_ids, (id) => `#patrol-${id}`),
    links(T('逾期议定事项', 'Overdue items'), e.overdue_ids),
    links(T('已办结议定事项', 'Items done'), e.done_ids),
    links(T('督查', 'Inspections'), e.inspection_ids),
    links(T('健康评价', 'Health assessments'), e.health_assessment_ids),
    links(T('约谈', 'Admonitions'), e.admonition_ids),
    e.document_number ? h('span', {}, `${T('文号', 'Number')} ${e.document_number}；`) : '',
    e.document_numbers?.length ? h('span', {}, `${T('文号', 'Number')} ${e.document_numbers.join('、')}；`) : '',
    e.missing?.length ? h('span', { class: 'duty-missed' }, e.missing.join('；')) : '');
}

/** Draw the screen into ``host`` (params.year). */
export async function render(host, params = {}) {
  host.dataset.ready = '';
  const year = Number(params.year) || thisYear();
  try {
    const duties = await api(`/api/v1/duties${qs({ year })}`);
    const counts = Object.fromEntries(Object.keys(STATUS).map((s) => [s, duties.filter((d) => d.status === s).length]));
    host.replaceChildren(
      h('div', { class: 'gov-tools' }, yearSelect(year, (y) => render(host, { year: y }))),
      h('p', { role: 'status' }, Object.entries(STATUS).map(([s, f]) => `${f()} ${counts[s]}`).join('，')),
      dataTable({
        caption: T(`${year}年度履职事项`, `Duties of ${year}`), rows: duties, exportName: `duties-${year}`, pageSize: 50,
        filters: [{ label: T('状态', 'Status'), value: (d) => d.status, options: Object.entries(STATUS).map(([k, f]) => [k, f()]) }],
        rowAttrs: (d) => ({ class: `duty-${d.status}` }),
        columns: [
          { label: T('履职事项', 'Duty'), value: (d) => d.title },
          { label: T('依据', 'Basis'), value: (d) => d.basis },
          { label: T('责任主体', 'Who'), value: (d) => d.subject?.name },
          { label: T('应完成', 'Required'), value: (d) => d.required, num: true },
          { label: T('已完成', 'Done'), value: (d) => d.actual, num: true },
          { label: T('期限', 'Due'), value: (d) => d.due },
          { label: T('状态', 'Status'), value: (d) => h('span', { class: `duty-${d.status}` }, STATUS[d.status]?.() ?? d.status), text: (d) => STATUS[d.status]?.() ?? d.status },
          { label: T('佐证', 'Evidence'), value: evidence },
        ],
      }));
    host.dataset.ready = '1';
  } catch (err) {
    host.replaceChildren(h('p', { class: 'error' }, errorText(err)));
  }
}
