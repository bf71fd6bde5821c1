// 督查与问责 (issue 16, point 4): record an inspection whose findings become problems assigned
// to the county; record 提示/通报/约谈/问责 and commendations, each numbered as the API numbers
// them; the office's follow-up of an admonition interview.
import { api, qs } from '../../api.js';
import { h } from '../../state.js';
import { errorText } from '../../panel.js';
import { T, may, dialog, dataTable, run, yearSelect, thisYear, counties, units, rivers, localToday } from '../gov/ui.js';

export const SCREEN = {
  id: 'inspections', label: () => T('督查、问责与表彰', 'Inspections and accountability'), permission: 'governance.read', group: 'governance',
  module: '/static/js/wb/screens/inspections.js',
};

const ACC_KINDS = {
  reminder: () => T('提示', 'Reminder'), circular: () => T('通报', 'Circular'),
  admonition: () => T('约谈', 'Admonition'), accountability: () => T('问责', 'Accountability'),
};
const COM_KINDS = { commendation: () => T('表彰', 'Commendation'), praise: () => T('表扬', 'Praise'), incentive: () => T('激励', 'Incentive') };
const CATEGORIES = {
  sand_mining: '非法采砂', garbage: '垃圾', sewage_outfall: '排污口', illegal_construction: '违建',
  illegal_fishing: '非法捕捞', water_quality: '水质异常', other: '其他',
};

const target = (values) => ({
  county_code: values.county_code || null,
  liaison_unit_id: values.liaison_unit_id ? Number(values.liaison_unit_id) : null,
});

async function newInspection(host, year) {
  const [countyOpts, unitOpts, riverList] = await Promise.all([counties(), units(), rivers()]);
  const values = await dialog(T('新建督查', 'New inspection'), [
    { name: 'title', label: T('督查名称', 'Title'), required: true },
    { name: 'inspected_on', label: T('督查日期', 'Date'), type: 'date', required: true, value: localToday() },
    { name: 'county_code', label: T('被督查区县', 'County inspected'), options: countyOpts },
    { name: 'liaison_unit_id', label: T('被督查单位', 'Unit inspected'), options: unitOpts },
    { name: 'river_id', label: T('河流', 'River'), options: riverList.map((r) => [r.id, r.name]) },
    { name: 'summary', label: T('督查情况', 'Summary'), type: 'textarea' },
  ]);
  if (!values) return;
  const findings = [];
  for (;;) {
    const f = await dialog(T(`发现问题 ${findings.length + 1}（取消则不再添加）`, `Finding ${findings.length + 1} (cancel: no more)`), [
      { name: 'category', label: T('问题类别', 'Category'), options: Object.entries(CATEGORIES), required: true },
      { name: 'description', label: T('问题描述', 'Description'), type: 'textarea', rows: 3, required: true },
      { name: 'lon', label: T('经度（WGS84）', 'Longitude (WGS84)'), type: 'number', step: 'any', required: true },
      { name: 'lat', label: T('纬度（WGS84）', 'Latitude (WGS84)'), type: 'number', step: 'any', required: true },
      { name: 'due_date', label: T('整改期限', 'Due date'), type: 'date', required: true },
    ], { submit: T('添加', 'Add') });
    if (!f) break;
    findings.push({ ...f, lon: Number(f.lon), lat: Number(f.lat) });
  }
  const made = await run(() => api('/api/v1/inspections', {
    method: 'POST',
    json: { title: values.title, inspected_on: values.inspected_on, ...target(values), river_id: values.river_id ? Number(values.river_id) : null, summary: values.summary, findings },
  }), (i) => T(`已记录督查，${i.findings.length} 个问题已交办区县`, `Inspection recorded; ${i.findings.length} findings handed to the county`));
  if (made) render(host, { year });
}

async function newRecord(host, year, commendation) {
  const [countyOpts, unitOpts, riverList] = await Promise.all([counties(), units(), rivers()]);
  const kinds = commendation ? COM_KINDS : ACC_KINDS;
  const title = commendation ? T('新建表彰、表扬、激励', 'New commendation') : T('新建提示、通报、约谈、问责', 'New reminder, circular, admonition or accountability');
  const values = await dialog(title, [
    { name: 'kind', label: T('类别', 'Kind'), options: Object.entries(kinds).map(([k, f]) => [k, f()]), required: true },
    { name: 'date', label: commendation ? T('日期', 'Date') : T('印发日期', 'Issued on'), type: 'date', required: true, value: localToday() },
    { name: 'county_code', label: T('对象区县', 'County'), options: countyOpts },
    { name: 'liaison_unit_id', label: T('对象单位', 'Unit'), options: unitOpts },
    { name: 'person', label: T('涉及人员', 'Person') },
    ...(commendation ? [] : [
      { name: 'river_id', label: T('河流', 'River'), options: riverList.map((r) => [r.id, r.name]) },
      { name: 'issued_by', label: T('发文单位', 'Issued by'), value: '市河长制办公室' },
      { name: 'handed_to', label: T('问责线索移交', 'Leads handed to') },
    ]),
    { name: 'reason', label: T('事由', 'Reason'), type: 'textarea', rows: 3, required: true },
  ]);
  if (!values) return;
  const body = commendation
    ? { kind: values.kind, awarded_on: values.date, ...target(values), person: values.person, reason: values.reason }
    : { kind: values.kind, issued_on: values.date, ...target(values), person: values.person, reason: values.reason, river_id: values.river_id ? Number(values.river_id) : null, issued_by: values.issued_by || undefined, handed_to: values.handed_to };
  const made = await run(() => api(commendation ? '/api/v1/commendations' : '/api/v1/accountability', { method: 'POST', json: body }),
    (r) => (r.document_number ? T(`已记录，文号 ${r.document_number}`, `Recorded as ${r.document_number}`) : T('已记录', 'Recorded')));
  if (made) render(host, { year });
}

async function followUp(host, year, r) {
  const values = await dialog(T(`约谈回访：${r.target_name}`, `Follow-up: ${r.target_name}`), [
    { name: 'follow_up_on', label: T('回访日期', 'Date'), type: 'date', required: true, value: localToday() },
    { name: 'follow_up_note', label: T('回访情况', 'Note'), type: 'textarea', required: true },
  ]);
  if (!values) return;
  if (await run(() => api(`/api/v1/accountability/${r.id}/follow-up`, { method: 'POST', json: values }), T('已记录回访', 'Follow-up recorded'))) render(host, { year });
}

/** Draw the screen into ``host`` (params.year). */
export async function render(host, params = {}) {
  host.dataset.ready = '';
  const year = Number(params.year) || thisYear();
  try {
    const [inspections, records, commendations] = await Promise.all([
      api(`/api/v1/inspections${qs({ year, limit: 1000 })}`), api(`/api/v1/accountability${qs({ year, limit: 1000 })}`),
      api(`/api/v1/commendations${qs({ year, limit: 1000 })}`)]);
    const findings = inspections.flatMap((i) => i.findings.map((f) => ({ ...f, inspection: i })));
    const office = may('accountability.write');
    host.replaceChildren(
      h('div', { class: 'gov-tools' }, yearSelect(year, (y) => render(host, { year: y }))),
      h('section', { class: 'sub' }, h('h3', {}, T('督查', 'Inspections')),
        may('inspections.write') ? h('button', { type: 'button', onclick: () => newInspection(host, year) }, T('新建督查', 'New inspection')) : '',
        dataTable({
          caption: T(`${year}年督查`, `Inspections ${year}`), rows: inspections, exportName: `inspections-${year}`,
          columns: [
            { label: T('日期', 'Date'), value: (i) => i.inspected_on },
            { label: T('督查名称', 'Title'), value: (i) => i.title },
            { label: T('组织', 'Organiser'), value: (i) => i.organiser },
            { label: T('对象', 'Inspected'), value: (i) => i.target_name },
            { label: T('发现问题', 'Findings'), value: (i) => i.findings.length, num: true },
          ],
        }),
        dataTable({
          caption: T('督查发现问题及交办', 'Findings and their problems'), rows: findings, exportName: `findings-${year}`,
          columns: [
            { label: T('督查', 'Inspection'), value: (f) => f.inspection.title },
            { label: T('类别', 'Category'), value: (f) => CATEGORIES[f.category] ?? f.category },
            { label: T('描述', 'Description'), value: (f) => f.description },
            { label: T('交办区县', 'County'), value: (f) => f.handed_to_county },
            { label: T('问题', 'Problem'), value: (f) => (f.problem_id ? h('a', { href: `#problem-${f.problem_id}` }, `#${f.problem_id}`) : ''), text: (f) => f.problem_id },
            { label: T('问题状态', 'State'), value: (f) => f.problem_state },
            { label: T('整改期限', 'Due'), value: (f) => f.due_date },
          ],
        })),
      h('section', { class: 'sub' }, h('h3', {}, T('提示、通报、约谈、问责', 'Reminders, circulars, admonitions, accountability')),
        office ? h('button', { type: 'button', onclick: () => newRecord(host, year, false) }, T('新建提示、通报、约谈、问责', 'New record')) : '',
        dataTable({
          caption: T(`${year}年问责记录`, `Accountability ${year}`), rows: records, exportName: `accountability-${year}`,
          filters: [{ label: T('类别', 'Kind'), value: (r) => r.kind, options: Object.entries(ACC_KINDS).map(([k, f]) => [k, f()]) }],
          columns: [
            { label: T('日期', 'Date'), value: (r) => r.issued_on },
            { label: T('类别', 'Kind'), value: (r) => ACC_KINDS[r.kind]?.() ?? r.kind },
            { label: T('对象', 'Target'), value: (r) => r.target_name },
            { label: T('事由', 'Reason'), value: (r) => r.reason },
            { label: T('文号', 'Number'), value: (r) => r.document_number },
            { label: T('回访', 'Follow-up'), value: (r) => (r.follow_up_on ? `${r.follow_up_on} ${r.follow_up_note}` : '') },
            { label: T('操作', 'Actions'), noExport: true, text: () => '', value: (r) => (office && r.kind === 'admonition' && !r.follow_up_on
              ? h('button', { type: 'button', 'aria-label': `${T('约谈回访', 'Follow up')} ${r.target_name} ${r.issued_on}`, onclick: () => followUp(host, year, r) }, T('约谈回访', 'Follow up')) : '') },
          ],
        })),
      h('section', { class: 'sub' }, h('h3', {}, T('表彰、表扬、激励', 'Commendations')),
        office ? h('button', { type: 'button', onclick: () => newRecord(host, year, true) }, T('新建表彰、表扬、激励', 'New commendation')) : '',
        dataTable({
          caption: T(`${year}年表彰`, `Commendations ${year}`), rows: commendations, exportName: `commendations-${year}`,
          columns: [
            { label: T('日期', 'Date'), value: (c) => c.awarded_on },
            { label: T('类别', 'Kind'), value: (c) => COM_KINDS[c.kind]?.() ?? c.kind },
            { label: T('对象', 'Target'), value: (c) => c.target_name },
            { label: T('人员', 'Person'), value: (c) => c.person },
            { label: T('事由', 'Reason'), value: (c) => c.reason },
            { label: T('文号', 'Number'), value: (c) => c.document_number },
          ],
        })));
    host.dataset.ready = '1';
  } catch (err) {
    host.replaceChildren(h('p', { class: 'error' }, errorText(err)));
  }
}
