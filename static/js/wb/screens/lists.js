// 四张清单与一河一策 (issue 16, point 2): per river and year the four lists in forms (add, edit,
// remove rows), their XLSX downloaded and uploaded back, what changed from the version before,
// approval (审定) by the river's municipal chief and issue (印发) by the office; the river's
// 一河一策 plans the same way.
import { api, qs } from '../../api.js';
import { state, h, toast } from '../../state.js';
import { errorText, facts } from '../../panel.js';
import { T, may, dialog, dataTable, run, stateBadge, yearSelect, thisYear, counties, rivers, download, localTime } from '../gov/ui.js';
import { DOC_STATES, DOC_ACTIONS } from './meetings.js';

export const SCREEN = {
  id: 'lists', label: () => T('四张清单与一河一策', 'Lists and plans'), permission: 'governance.read', group: 'governance',
  module: '/static/js/wb/screens/lists.js',
};

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const KINDS = ['targets', 'problems', 'tasks', 'responsibilities'];
const KIND_LABEL = {
  targets: () => T('目标清单', 'Targets'), problems: () => T('问题清单', 'Problems'),
  tasks: () => T('任务清单', 'Tasks'), responsibilities: () => T('责任清单', 'Responsibilities'),
};
/** The columns of each list, as the XLSX (service/governance/lists/xlsx.py) writes them. */
const COLUMNS = {
  targets: [['category', '目标类别', 'Category'], ['content', '目标内容', 'Target'], ['measure', '指标值', 'Measure'], ['due_date', '完成时限', 'Due'], ['note', '备注', 'Note']],
  problems: [['category', '问题类型', 'Type'], ['content', '问题描述', 'Problem'], ['county_code', '所在县（市、区）', 'County'], ['problem_id', '问题点位编号', 'Problem point'], ['responsible_unit', '责任单位', 'Responsible unit'], ['measure', '整改措施', 'Measure'], ['due_date', '整改时限', 'Due'], ['note', '备注', 'Note']],
  tasks: [['category', '任务类别', 'Category'], ['content', '任务内容', 'Task'], ['responsible_unit', '责任单位', 'Responsible unit'], ['cooperating_units', '配合单位', 'Cooperating units'], ['due_date', '完成时限', 'Due'], ['note', '备注', 'Note']],
  responsibilities: [['category', '责任类别', 'Category'], ['responsible_unit', '责任主体', 'Responsible body'], ['responsible_person', '责任人', 'Person'], ['content', '职责内容', 'Duty'], ['note', '备注', 'Note']],
};
const FIELDS = ['category', 'content', 'measure', 'county_code', 'problem_id', 'responsible_unit', 'cooperating_units', 'responsible_person', 'due_date', 'note'];
const colLabel = ([, zh, en]) => T(zh, en);

const clean = (row) => Object.fromEntries(FIELDS.map((f) => [f, row[f] ?? null]));
const emptyLists = () => Object.fromEntries(KINDS.map((k) => [k, []]));

/** What changed from ``before`` to ``after`` (the four lists), one line per changed row. */
export function listChanges(before, after) {
  const lines = [];
  for (const kind of KINDS) {
    const a = (before?.[kind] || []).map(clean);
    const b = (after?.[kind] || []).map(clean);
    for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
      const where = T(`${KIND_LABEL[kind]()}第${i + 1}行`, `${KIND_LABEL[kind]()} row ${i + 1}`);
      if (!a[i]) lines.push(`${where}${T('：新增', ': added')} ${b[i].content}`);
      else if (!b[i]) lines.push(`${where}${T('：删除', ': removed')} ${a[i].content}`);
      else {
        const changed = COLUMNS[kind].filter(([f]) => String(a[i][f] ?? '') !== String(b[i][f] ?? ''));
        if (changed.length) lines.push(`${where}${T('：修改', ': changed')} ${changed.map((c) => `${colLabel(c)} “${a[i][c[0]] ?? ''}” → “${b[i][c[0]] ?? ''}”`).join('；')}`);
      }
    }
  }
  return lines;
}

function showChanges(box, before, after, what) {
  const lines = listChanges(before, after);
  box.replaceChildren(h('h3', {}, T('与上一版本相比', 'Compared with the version before')),
    h('p', { role: 'status' }, lines.length ? T(`${what}：${lines.length} 处变化`, `${what}: ${lines.length} changes`) : T(`${what}：与上一版本相比无变化`, `${what}: no difference from the version before`)),
    lines.length ? h('ul', { class: 'plain' }, ...lines.map((l) => h('li', {}, l))) : '');
  box.hidden = false;
}

async function rowDialog(kind, row, countyOpts) {
  const fields = COLUMNS[kind].map(([f, zh, en]) => ({
    name: f, label: T(zh, en), value: row?.[f],
    required: f === 'content',
    ...(f === 'due_date' ? { type: 'date' } : {}),
    ...(f === 'problem_id' ? { type: 'number', step: '1', min: '1' } : {}),
    ...(f === 'county_code' ? { options: countyOpts } : {}),
    ...(f === 'content' && kind !== 'targets' ? { type: 'textarea', rows: 3 } : {}),
  }));
  const values = await dialog(`${row ? T('编辑', 'Edit') : T('新增行', 'Add a row')}：${KIND_LABEL[kind]()}`, fields);
  if (!values) return null;
  return { ...clean(row || {}), ...values, problem_id: values.problem_id ? Number(values.problem_id) : null };
}

async function planSection(river, plans, reload) {
  const u = state.user || {};
  const canDraft = may('lists.write') && ['office', 'liaison'].includes(u.role);
  const isChief = u.role === 'chief' && river.chiefs.some((c) => c.level === 'city' && c.id === u.official_id);
  const step = (p, action) => async () => {
    const label = DOC_ACTIONS[action]();
    if (!(await dialog(`${label}：${p.title}`, [], { submit: label }))) return;
    if (await run(() => api(`/api/v1/river-plans/${p.id}/${action}`, { method: 'POST', json: {} }),
      (out) => (out.document_number ? T(`已印发，文号 ${out.document_number}`, `Issued as ${out.document_number}`) : T(`已${label}`, `${label}: done`)))) reload();
  };
  const create = async () => {
    const y = thisYear();
    const values = await dialog(T('新建一河一策方案', 'New river plan'), [
      { name: 'title', label: T('方案名称', 'Title'), required: true, value: `${river.name}（乐山段）一河一策管理保护方案（${y}—${y + 4}年）` },
      { name: 'period_start', label: T('起始年', 'First year'), type: 'number', required: true, value: y },
      { name: 'period_end', label: T('截止年', 'Last year'), type: 'number', required: true, value: y + 4 },
      { name: 'summary', label: T('主要内容', 'Summary'), type: 'textarea' },
    ]);
    if (!values) return;
    if (await run(() => api(`/api/v1/rivers/${river.id}/plans`, { method: 'POST', json: { ...values, period_start: Number(values.period_start), period_end: Number(values.period_end) } }),
      T('方案已起草', 'Plan drafted'))) reload();
  };
  return h('section', { class: 'sub' }, h('h3', {}, T('一河一策方案', 'River plans')),
    canDraft ? h('button', { type: 'button', onclick: create }, T('新建一河一策方案', 'New river plan')) : '',
    dataTable({
      caption: T(`${river.name}一河一策方案`, `Plans of ${river.name}`), rows: plans, exportName: `river-plans-${river.id}`,
      columns: [
        { label: T('方案名称', 'Title'), value: (p) => p.title },
        { label: T('期限', 'Period'), value: (p) => `${p.period_start}—${p.period_end}` },
        { label: T('状态', 'State'), value: (p) => DOC_STATES[p.state]?.() ?? p.state },
        { label: T('文号', 'Number'), value: (p) => p.document_number },
        { label: T('操作', 'Actions'), noExport: true, text: () => '', value: (p) => h('span', { class: 'gov-actions' },
          p.state === 'drafted' && isChief ? h('button', { type: 'button', 'aria-label': `${T('审定', 'Approve')} ${p.title}`, onclick: step(p, 'approve') }, T('审定', 'Approve')) : '',
          p.state === 'approved' && u.role === 'office' ? h('button', { type: 'button', 'aria-label': `${T('印发', 'Issue')} ${p.title}`, onclick: step(p, 'issue') }, T('印发', 'Issue')) : '') },
      ],
    }));
}

/** Draw the screen into ``host`` (params.river_id, params.year). */
export async function render(host, params = {}) {
  host.dataset.ready = '';
  try {
    const riverList = await rivers();
    const riverId = Number(params.river_id) || riverList.find((r) => r.name === '岷江')?.id || riverList[0].id;
    const year = Number(params.year) || thisYear();
    const [river, countyOpts, plans] = await Promise.all([
      api(`/api/v1/rivers/${riverId}`, { auth: false }), counties(), api(`/api/v1/river-plans${qs({ river_id: riverId, limit: 1000 })}`)]);
    let lists = await api(`/api/v1/rivers/${riverId}/annual-lists/${year}`).catch((err) => { if (err.status === 404) return null; throw err; });
    const countyName = Object.fromEntries(countyOpts);
    const u = state.user || {};
    const editable = () => may('lists.write') && ['office', 'liaison'].includes(u.role) && (!lists || lists.state === 'drafted');
    const isChief = u.role === 'chief' && river.chiefs.some((c) => c.level === 'city' && c.id === u.official_id);
    const changes = h('section', { class: 'sub changes', hidden: true, 'aria-label': T('变化', 'Changes') });
    const reload = () => render(host, { river_id: riverId, year, changes: params.changes });

    const save = async (next, what) => {
      const before = lists;
      const out = await run(() => api(`/api/v1/rivers/${riverId}/annual-lists/${year}`, {
        method: 'PUT', json: Object.fromEntries(KINDS.map((k) => [k, next[k].map(clean)])),
      }), T('清单已保存', 'Lists saved'));
      if (out) await render(host, { river_id: riverId, year, changes: [before, out, what] });
    };
    const current = () => (lists ? Object.fromEntries(KINDS.map((k) => [k, lists[k].map(clean)])) : emptyLists());

    const listTable = (kind) => {
      const rows = (lists?.[kind] || []).map((r, i) => ({ ...r, i }));
      const cols = COLUMNS[kind].map((c) => ({
        label: colLabel(c),
        value: (r) => (c[0] === 'county_code' ? countyName[r.county_code] ?? r.county_code : r[c[0]]),
      }));
      if (editable()) {
        cols.push({
          label: T('操作', 'Actions'), noExport: true, text: () => '',
          value: (r) => h('span', { class: 'gov-actions' },
            h('button', { type: 'button', 'aria-label': `${T('编辑', 'Edit')} ${KIND_LABEL[kind]()}${r.i + 1}`, onclick: async () => {
              const edited = await rowDialog(kind, r, countyOpts);
              if (!edited) return;
              const next = current();
              next[kind][r.i] = edited;
              await save(next, T('修改', 'Edit'));
            } }, T('编辑', 'Edit')),
            h('button', { type: 'button', 'aria-label': `${T('删除', 'Remove')} ${KIND_LABEL[kind]()}${r.i + 1}`, onclick: async () => {
              const next = current();
              next[kind].splice(r.i, 1);
              await save(next, T('删除', 'Remove'));
            } }, T('删除', 'Remove'))),
        });
      }
      return h('section', { class: 'sub' }, h('h3', {}, KIND_LABEL[kind]()),
        editable() ? h('button', { type: 'button', 'aria-label': `${T('新增行', 'Add a row')}：${KIND_LABEL[kind]()}`, onclick: async () => {
          const added = await rowDialog(kind, null, countyOpts);
          if (!added) return;
          const next = current();
          next[kind].push(added);
          await save(next, T('新增', 'Add'));
        } }, T('新增行', 'Add a row')) : '',
        dataTable({ caption: `${river.name}${year}${KIND_LABEL[kind]()}`, columns: cols, rows, pageSize: 50, exportName: `${kind}-${riverId}-${year}` }));
    };

    const riverSel = h('select', { 'aria-label': T('河流', 'River') }, ...riverList.map((r) => h('option', { value: String(r.id) }, r.name)));
    riverSel.value = String(riverId);
    riverSel.addEventListener('change', () => render(host, { river_id: riverSel.value, year }));
    const file = h('input', { type: 'file', accept: '.xlsx', 'aria-label': T('清单文件（XLSX）', 'Lists workbook (XLSX)') });
    const upload = async () => {
      const f = file.files[0];
      if (!f) { toast(T('请先选择XLSX文件', 'Choose an XLSX file first')); return; }
      const before = lists;
      const out = await run(() => api(`/api/v1/rivers/${riverId}/annual-lists/${year}.xlsx`, { method: 'PUT', form: f, headers: { 'Content-Type': XLSX } }),
        T('清单已上传', 'Lists uploaded'));
      if (out) await render(host, { river_id: riverId, year, changes: [before, out, T('上传', 'Upload')] });
    };
    const step = (action) => async () => {
      const label = DOC_ACTIONS[action]();
      if (!(await dialog(`${label}：${river.name}${year}年四张清单`, [], { submit: label }))) return;
      const out = await run(() => api(`/api/v1/rivers/${riverId}/annual-lists/${year}/${action}`, { method: 'POST', json: {} }),
        (o) => (o.document_number ? T(`已印发，文号 ${o.document_number}`, `Issued as ${o.document_number}`) : T(`已${label}`, `${label}: done`)));
      if (out) reload();
    };
    host.replaceChildren(
      h('div', { class: 'gov-tools' }, riverSel, yearSelect(year, (y) => render(host, { river_id: riverId, year: y }))),
      h('section', { class: 'sub', 'aria-label': T('四张清单', 'The four lists') },
        h('h3', {}, T(`${river.name}${year}年度四张清单`, `${river.name}: the four lists of ${year}`)),
        lists ? facts([
          [T('状态', 'State'), stateBadge(DOC_STATES[lists.state]?.() ?? lists.state, lists.state)],
          [T('文号', 'Document number'), lists.document_number], [T('审定日期', 'Approved on'), lists.approved_on],
          [T('办理记录', 'History'), lists.history.map((e) => `${localTime(e.at)} ${DOC_ACTIONS[e.action]?.() ?? e.action}`).join('；')],
        ]) : h('p', { class: 'muted' }, T('本年度尚未编制清单', 'No lists for this year yet')),
        h('div', { class: 'gov-actions' },
          lists ? h('button', { type: 'button', onclick: () => run(() => download(`/api/v1/rivers/${riverId}/annual-lists/${year}.xlsx`, `annual-lists-${riverId}-${year}.xlsx`)) }, T('下载清单XLSX', 'Download the lists (XLSX)')) : '',
          editable() ? h('span', {}, file, h('button', { type: 'button', onclick: upload }, T('上传清单XLSX', 'Upload the lists (XLSX)'))) : '',
          lists?.state === 'drafted' && isChief ? h('button', { type: 'button', onclick: step('approve') }, T('审定', 'Approve')) : '',
          lists?.state === 'approved' && u.role === 'office' ? h('button', { type: 'button', onclick: step('issue') }, T('印发', 'Issue')) : '')),
      changes,
      ...KINDS.map(listTable),
      await planSection(river, plans, reload));
    if (params.changes) showChanges(changes, ...params.changes);
    host.dataset.ready = '1';
  } catch (err) {
    host.replaceChildren(h('p', { class: 'error' }, errorText(err)));
  }
}
