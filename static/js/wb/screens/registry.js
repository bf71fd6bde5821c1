// 河长名录 (registry.write, the office): river chiefs (officials), liaison units and who holds
// which river since when (assignments: 新增任命, 结束任命). Reaches below the county are cut
// and appointed in 河段管理 (reaches.js); this screen keeps the city and county roster.
import { api } from '../../api.js';
import { h, state, toast } from '../../state.js';
import { getLang } from '../../i18n.js';
import { localToday } from '../../period.js';
import { createTable } from '../table.js';
import { formDialog } from '../dialog.js';
import { wt } from '../text.js';

const TEXT = {
  'zh-CN': {
    title: '河长名录', officials: '河长', units: '联络员单位', assignments: '任命记录', name: '姓名', post: '职务',
    unitName: '单位名称', addOfficial: '新增河长', addUnit: '新增联络员单位', appoint: '新增任命', end: '结束任命',
    river: '河流', role: '任命类别', level: '级别', holder: '河长或单位', official: '河长', unit: '联络员单位',
    from: '生效日期', to: '截止日期', county: '区县', current: '在任', done: '已保存', demo: '演示数据',
    'role.general_chief': '总河长', 'role.deputy_general_chief': '副总河长', 'role.river_chief': '河长',
    'role.liaison_unit': '联络员单位', 'level.city': '市级', 'level.county': '县级', 'level.township': '乡级', 'level.village': '村级',
    holderNeeded: '请选择河长或联络员单位（其一）',
  },
  en: {
    title: 'Roster', officials: 'Chiefs', units: 'Liaison units', assignments: 'Assignments', name: 'Name', post: 'Post',
    unitName: 'Unit name', addOfficial: 'Add chief', addUnit: 'Add liaison unit', appoint: 'Appoint', end: 'End assignment',
    river: 'River', role: 'Kind', level: 'Level', holder: 'Chief or unit', official: 'Chief', unit: 'Liaison unit',
    from: 'Valid from', to: 'Valid to', county: 'County', current: 'In office', done: 'Saved', demo: 'Demo data',
    'role.general_chief': 'General chief', 'role.deputy_general_chief': 'Deputy general chief', 'role.river_chief': 'River chief',
    'role.liaison_unit': 'Liaison unit', 'level.city': 'City', 'level.county': 'County', 'level.township': 'Township', 'level.village': 'Village',
    holderNeeded: 'Choose a chief or a liaison unit (one of them)',
  },
};
const tx = (k) => TEXT[getLang()]?.[k] ?? TEXT['zh-CN'][k] ?? k;

export const SCREEN = { id: 'registry', label: () => tx('title'), permission: 'registry.write', group: 'data' };

const ROLES = ['general_chief', 'deputy_general_chief', 'river_chief', 'liaison_unit'];
const LEVELS = ['city', 'county', 'township', 'village'];

async function all(path) { return api(`${path}?limit=10000`); }

export async function render(host) {
  const [officials, units, assignments] = await Promise.all([all('/api/v1/officials'), all('/api/v1/liaison-units'), all('/api/v1/assignments')]);
  const officialName = new Map(officials.map((o) => [o.id, o.name]));
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const riverName = new Map((state.rivers || []).map((r) => [r.id, r.name]));
  const redraw = () => render(host);
  const saved = () => { toast(tx('done')); return redraw(); };

  const addOfficial = h('button', { type: 'button', onclick: async () => {
    const v = await formDialog({ title: tx('addOfficial'), fields: [
      { name: 'name', label: tx('name'), required: true, maxlength: 100 }, { name: 'title', label: tx('post'), maxlength: 200 }],
    submit: (x) => api('/api/v1/officials', { method: 'POST', json: { name: x.name, title: x.title } }) });
    if (v) await saved();
  } }, tx('addOfficial'));
  const addUnit = h('button', { type: 'button', onclick: async () => {
    const v = await formDialog({ title: tx('addUnit'), fields: [{ name: 'name', label: tx('unitName'), required: true, maxlength: 100 }],
      submit: (x) => api('/api/v1/liaison-units', { method: 'POST', json: { name: x.name } }) });
    if (v) await saved();
  } }, tx('addUnit'));
  const appoint = h('button', { type: 'button', onclick: async () => {
    // The roster as it is now: a chief added a moment ago may not be in this screen's
    // list yet (its redraw is still loading), and the office appoints them next.
    const current = await all('/api/v1/officials');
    const v = await formDialog({
      title: tx('appoint'),
      fields: [
        { name: 'river', label: tx('river'), options: [...riverName.entries()], required: true },
        { name: 'role', label: tx('role'), options: ROLES.map((r) => [r, tx(`role.${r}`)]), required: true, value: 'river_chief' },
        // A river alone is held at city level; county and lower reaches go through 河段管理.
        { name: 'level', label: tx('level'), options: LEVELS.slice(0, 1).map((l) => [l, tx(`level.${l}`)]), required: true, value: 'city' },
        { name: 'official', label: tx('official'), options: current.map((o) => [o.id, `${o.name}${o.title ? `（${o.title}）` : ''}`]) },
        { name: 'unit', label: tx('unit'), options: units.map((u) => [u.id, u.name]) },
        { name: 'from', label: tx('from'), type: 'date', required: true, value: localToday() },
      ],
      validate: (x) => (!x.official === !x.unit ? tx('holderNeeded') : null),
      submit: (x) => api('/api/v1/assignments', { method: 'POST', json: {
        river_id: Number(x.river), role: x.role, level: x.level || undefined, valid_from: x.from,
        official_id: x.official ? Number(x.official) : undefined, liaison_unit_id: x.unit ? Number(x.unit) : undefined,
      } }),
    });
    if (v) await saved();
  } }, tx('appoint'));

  const endButton = (a) => h('button', { type: 'button', 'aria-label': `${tx('end')} ${a.id}`, onclick: async () => {
    const v = await formDialog({ title: `${tx('end')} #${a.id}`, fields: [{ name: 'to', label: tx('to'), type: 'date', required: true, value: localToday() }],
      submit: (x) => api(`/api/v1/assignments/${a.id}/end`, { method: 'POST', json: { valid_to: x.to } }) });
    if (v) await saved();
  } }, tx('end'));

  const officialsTable = createTable({
    id: 'registry-officials', title: () => tx('officials'),
    columns: [{ key: 'id', label: 'ID', type: 'number', sort: true }, { key: 'name', label: tx('name'), sort: true },
      { key: 'title', label: tx('post'), sort: true }, { key: 'is_demo', label: tx('demo'), value: (o) => (o.is_demo ? wt('yes') : wt('no')) }],
    rows: officials, pageSize: 10, tools: [addOfficial],
  });
  const unitsTable = createTable({
    id: 'registry-units', title: () => tx('units'),
    columns: [{ key: 'id', label: 'ID', type: 'number', sort: true }, { key: 'name', label: tx('unitName'), sort: true }],
    rows: units, pageSize: 10, tools: [addUnit],
  });
  const assignTable = createTable({
    id: 'registry-assignments', title: () => tx('assignments'),
    columns: [
      { key: 'id', label: 'ID', type: 'number', sort: true },
      { key: 'river', label: tx('river'), value: (a) => riverName.get(a.river_id) ?? a.river_id ?? '', sort: true },
      { key: 'role', label: tx('role'), value: (a) => tx(`role.${a.role}`), sort: true },
      { key: 'level', label: tx('level'), value: (a) => (a.level ? tx(`level.${a.level}`) : ''), sort: true },
      { key: 'holder', label: tx('holder'), value: (a) => officialName.get(a.official_id) ?? unitName.get(a.liaison_unit_id) ?? '', sort: true },
      { key: 'county_code', label: tx('county'), sort: true },
      { key: 'valid_from', label: tx('from'), type: 'date', sort: true },
      { key: 'valid_to', label: tx('to'), type: 'date', sort: true },
      { key: 'end', label: tx('end'), export: false, render: (a) => (a.valid_to ? '' : endButton(a)) },
    ],
    rows: assignments,
    filters: [{ key: 'current', label: tx('current'), type: 'checkbox' }],
    filter: (a, f) => !f.current || !a.valid_to || a.valid_to >= localToday(),
    sort: { key: 'id', order: 'desc' }, pageSize: 15, tools: [appoint],
  });
  host.replaceChildren(
    h('section', { class: 'sub' }, h('h3', {}, tx('officials')), officialsTable.el),
    h('section', { class: 'sub' }, h('h3', {}, tx('units')), unitsTable.el),
    h('section', { class: 'sub' }, h('h3', {}, tx('assignments')), assignTable.el));
  await Promise.all([officialsTable.reload(), unitsTable.reload(), assignTable.reload()]);
}
