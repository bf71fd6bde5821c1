// 年度考核 (issue 16, point 5): the ranking of the counties with each item's score; a click on
// a score shows what the item counted (the patrols, problems, decided items and documents);
// the office enters the manual scores and issues (freezes and numbers) the results; XLSX.
import { api, qs } from '../../api.js';
import { h } from '../../state.js';
import { errorText, facts } from '../../panel.js';
import { T, may, dialog, dataTable, run, yearSelect, thisYear, download, localToday } from '../gov/ui.js';

export const SCREEN = {
  id: 'yearly', label: () => T('年度考核', 'Yearly assessment'), permission: 'governance.read', group: 'governance',
  module: '/static/js/wb/screens/yearly.js',
};

const fmt = (n) => (typeof n === 'number' ? (Math.round(n * 10) / 10).toFixed(1) : n);
const ids = (v) => (Array.isArray(v) ? v : Object.values(v || {}).flat());

/** The patrols an item counted: each judged chief's patrols of the year, kept by id. */
async function patrolsTable(year, chiefs, caption) {
  const wanted = new Set(chiefs.flatMap((c) => c.patrol_ids || []));
  const lists = await Promise.all(chiefs.filter((c) => c.patrol_ids?.length).map((c) =>
    api(`/api/v1/patrols${qs({ chief_id: c.official_id, from: `${year}-01-01`, to: `${year}-12-31`, limit: 10000 })}`)));
  const seen = new Set();
  const patrols = lists.flat().filter((p) => wanted.has(p.id) && !seen.has(p.id) && seen.add(p.id));
  patrols.sort((a, b) => a.date.localeCompare(b.date) || a.id - b.id);
  return dataTable({
    caption, rows: patrols, exportName: 'assessment-patrols', pageSize: 100,
    rowAttrs: (p) => ({ 'data-patrol': p.id }),
    columns: [
      { label: T('编号', 'No.'), value: (p) => p.id, num: true },
      { label: T('日期', 'Date'), value: (p) => p.date },
      { label: T('河长', 'Chief'), value: (p) => p.chief_name },
      { label: T('河流', 'Rivers'), value: (p) => p.rivers.map((r) => r.name).join('、') },
      { label: T('时长（分钟）', 'Minutes'), value: (p) => fmt(p.duration_min), num: true },
      { label: T('长度（公里）', 'Length (km)'), value: (p) => fmt(p.length_km), num: true },
      { label: T('有效', 'Valid'), value: (p) => (p.valid ? T('有效', 'valid') : T('无效', 'invalid')) },
    ],
  });
}

function linkList(label, list, href) {
  if (!list.length) return '';
  return h('p', {}, `${label}：`, ...list.flatMap((id, i) => [i ? '、' : '', h('a', { href: href(id) }, `#${id}`)]));
}

/** What one item of one county counted, with links to the records behind it. */
async function showEvidence(box, year, county, item) {
  const ev = item.evidence || {};
  const title = `${county.county_name} · ${item.item}：${fmt(item.points)} / ${item.max}`;
  const parts = [h('h3', {}, title), h('p', { class: 'muted' }, ev.rule || '')];
  if (ev.method === 'patrol_compliance') {
    const all = [...new Set(ev.chiefs.flatMap((c) => c.patrol_ids || []))];
    parts.push(facts([[T('应考核河长', 'Chiefs judged'), ev.chiefs_judged], [T('达标河长', 'Compliant'), ev.chiefs_compliant]]));
    parts.push(dataTable({
      caption: T('河长巡河达标情况', 'Chiefs and their patrols'), rows: ev.chiefs, exportName: 'assessment-chiefs',
      columns: [
        { label: T('河长', 'Chief'), value: (c) => c.name },
        { label: T('级别', 'Level'), value: (c) => c.level },
        { label: T('各期巡河次数', 'Patrols by period'), value: (c) => c.periods.filter((p) => p.owed).map((p) => `${p.period} ${p.patrols}/${p.required}`).join('，') },
        { label: T('达标', 'Met'), value: (c) => (c.compliant ? T('达标', 'met') : T('未达标', 'not met')) },
      ],
    }));
    const holder = h('div');
    parts.push(h('button', {
      type: 'button', onclick: async () => holder.replaceChildren(await patrolsTable(year, ev.chiefs, T(`${county.county_name}计入考核的巡河记录`, `Patrols counted for ${county.county_name}`))),
    }, T(`查看计入的巡河记录（${all.length} 次）`, `Show the patrols counted (${all.length})`)), holder);
  } else if (ev.method === 'manual') {
    parts.push(h('p', {}, ev.scored ? T(`考核组评分：${fmt(item.points)}`, `Scored: ${fmt(item.points)}`) : T('尚未评分', 'Not scored yet'), ev.note ? `（${ev.note}）` : ''));
  } else {
    const counts = Object.entries(ev).filter(([k, v]) => typeof v === 'number' || (k === 'counts' && v));
    parts.push(facts(counts.map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : v])));
    parts.push(
      linkList(T('问题', 'Problems'), ids(ev.problem_ids), (id) => `#problem-${id}`),
      linkList(T('按期办结的议定事项', 'Items done on time'), ids(ev.action_item_ids_on_time), (id) => `#action-item-${id}`),
      linkList(T('逾期或未办结的议定事项', 'Items late or open'), ids(ev.action_item_ids_late_or_open), (id) => `#action-item-${id}`),
      linkList(T('督查发现问题', 'Inspection findings'), ids(ev.finding_ids), (id) => `#finding-${id}`),
      linkList(T('提示、通报、约谈', 'Reminders, circulars, talks'), ids(ev.accountability_record_ids), (id) => `#accountability-${id}`),
      linkList(T('表彰、表扬、激励', 'Commendations'), ids(ev.commendation_ids), (id) => `#commendation-${id}`));
  }
  box.replaceChildren(...parts);
  box.hidden = false;
  box.scrollIntoView?.({ block: 'nearest' });
}

/** Draw the screen into ``host`` (params.year). */
export async function render(host, params = {}) {
  host.dataset.ready = '';
  const year = Number(params.year) || thisYear();
  try {
    const [sheet, result] = await Promise.all([api('/api/v1/assessments/sheet'), api(`/api/v1/assessments/${year}`)]);
    const issued = await api(`/api/v1/assessments/${year}/issued`).catch((err) => { if (err.status === 404) return null; throw err; });
    const evidence = h('section', { class: 'sub evidence', hidden: true, 'aria-label': T('考核依据', 'What the item counted') });
    const office = may('assessment.write');
    const score = async (county, item, code) => {
      const max = sheet.find((s) => s.code === code)?.max;
      const values = await dialog(T(`评分：${county.county_name} · ${item.item}`, `Score: ${county.county_name} · ${item.item}`), [
        { name: 'points', label: T(`得分（0–${max}）`, `Points (0–${max})`), type: 'number', step: '0.5', min: '0', max: String(max), required: true, value: item.evidence?.scored ? item.points : '' },
        { name: 'note', label: T('评分说明', 'Note'), type: 'textarea', rows: 2 },
      ]);
      if (!values) return;
      if (await run(() => api(`/api/v1/assessments/${year}/manual-scores/${county.county_code}/${code}`, { method: 'PUT', json: { points: Number(values.points), note: values.note } }),
        T('已评分', 'Scored'))) render(host, { year });
    };
    const issue = async () => {
      const meetings = await api(`/api/v1/meetings?kind=office&from=${year}-01-01&limit=1000`).catch(() => []);
      const values = await dialog(T(`印发${year}年度考核结果`, `Issue the ${year} results`), [
        { name: 'issued_on', label: T('印发日期', 'Issued on'), type: 'date', required: true, value: localToday() },
        { name: 'meeting_id', label: T('审议的主任会议', 'Approving office meeting'), options: meetings.map((m) => [m.id, `${m.held_on} ${m.title}`]) },
      ], { submit: T('印发', 'Issue') });
      if (!values) return;
      if (await run(() => api(`/api/v1/assessments/${year}/issue`, { method: 'POST', json: { issued_on: values.issued_on, meeting_id: values.meeting_id ? Number(values.meeting_id) : null } }),
        (o) => T(`已印发，文号 ${o.document_number}`, `Issued as ${o.document_number}`))) render(host, { year });
    };
    const counties = (issued?.results?.counties) || result.counties;
    const columns = [
      { label: T('排名', 'Rank'), value: (c) => c.rank, num: true },
      { label: T('区县', 'County'), value: (c) => c.county_name, nowrap: true },
      { label: T('总分', 'Score'), value: (c) => fmt(c.score), num: true },
      ...sheet.map((s, i) => ({
        label: `${s.item}（${s.max}）`, num: true,
        text: (c) => fmt(c.items[i]?.points),
        value: (c) => {
          const item = c.items.find((it) => it.evidence?.code === s.code) ?? c.items[i];
          return h('span', { class: 'cell' },
            h('button', { type: 'button', class: 'link', 'aria-label': `${c.county_name} ${s.item} ${fmt(item.points)}`, onclick: () => showEvidence(evidence, year, c, item) }, fmt(item.points)),
            office && !issued && s.method === 'manual'
              ? h('button', { type: 'button', class: 'small', 'aria-label': T(`评分 ${c.county_name} ${s.item}`, `Score ${c.county_name} ${s.item}`), onclick: () => score(c, item, s.code) }, T('评分', 'Score')) : '');
        },
      })),
    ];
    host.replaceChildren(
      h('div', { class: 'gov-tools' }, yearSelect(year, (y) => render(host, { year: y })),
        h('button', { type: 'button', onclick: () => run(() => download(`/api/v1/assessments/${year}.xlsx`, `assessment-${year}.xlsx`)) }, T('下载考核XLSX', 'Download (XLSX)')),
        office && !issued ? h('button', { type: 'button', onclick: issue }, T('印发考核结果', 'Issue the results')) : ''),
      issued ? h('p', { class: 'docno' }, T(`${year}年度考核结果已于 ${issued.issued_on} 印发，文号 ${issued.document_number}（已冻结）`, `Issued on ${issued.issued_on} as ${issued.document_number} (frozen)`))
        : h('p', { class: 'muted' }, T('考核结果为即时计算，印发后冻结。', 'Computed now; frozen when issued.')),
      dataTable({ caption: T(`${year}年度各区县考核排名`, `Ranking of the counties, ${year}`), columns, rows: counties, pageSize: 20, exportName: `assessment-${year}` }),
      evidence);
    host.dataset.ready = '1';
  } catch (err) {
    host.replaceChildren(h('p', { class: 'error' }, errorText(err)));
  }
}
