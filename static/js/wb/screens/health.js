// 河湖健康评价 (issue 16, point 3): enter the indicators of a river or segment for a year, see
// the score and class as the service computes them, the chief's approval (审定), and the
// year's health layer on the map.
import { api, qs } from '../../api.js';
import { state, h } from '../../state.js';
import { errorText, facts } from '../../panel.js';
import { T, may, dialog, dataTable, run, yearSelect, thisYear, rivers, localToday } from '../gov/ui.js';

export const SCREEN = {
  id: 'health', label: () => T('河湖健康评价', 'River health'), permission: 'governance.read', group: 'governance',
  module: '/static/js/wb/screens/health.js',
};

let layer = null;
/** Show (or hide) the year's assessed reaches on the map, coloured by class. */
async function toggleLayer(year, button) {
  const map = state.map;
  if (layer) { layer.remove(); layer = null; button.setAttribute('aria-pressed', 'false'); return; }
  const fc = await api(`/api/v1/health/map.geojson${qs({ year })}`, { auth: false });
  layer = window.L.geoJSON(fc, {
    style: (f) => ({ color: f.properties.colour, weight: 6, opacity: 0.85, className: `health-${f.properties.health_class}` }),
    onEachFeature: (f, l) => l.bindTooltip(`${f.properties.river_name}：${f.properties.health_label}（${f.properties.score}）`),
  }).addTo(map);
  button.setAttribute('aria-pressed', 'true');
  if (fc.features.length) map.fitBounds(layer.getBounds(), { maxZoom: 10 });
}

function detail(a) {
  return h('section', { class: 'sub', 'aria-label': T('评价结果', 'Result') },
    h('h3', {}, `${a.river_name}${a.segment_id ? ` · ${T('河段', 'segment')} ${a.segment_id}` : ''} ${a.year}`),
    facts([
      [T('综合得分', 'Score'), String(a.score)], [T('健康等级', 'Class'), a.health_label],
      ...Object.entries(a.criteria).map(([k, v]) => [k, String(v)]),
      [T('审定', 'Approved'), a.approved_by_official_id ? T('已审定', 'approved') : T('待审定', 'pending')],
    ]));
}

async function record(host, year, cfg) {
  const riverList = await rivers();
  const pick = await dialog(T('录入健康评价：选择河流', 'Health assessment: river'), [
    { name: 'river_id', label: T('河流', 'River'), options: riverList.map((r) => [r.id, r.name]), required: true },
  ]);
  if (!pick) return;
  const river = await api(`/api/v1/rivers/${pick.river_id}`, { auth: false });
  const values = await dialog(T(`录入健康评价：${river.name}`, `Health assessment: ${river.name}`), [
    { name: 'segment_id', label: T('河段（空为全河）', 'Segment (empty: whole river)'), options: (river.segments || []).map((s) => [s.id, `${s.county_name} ${T(`第${s.order}段`, `part ${s.order}`)}（${s.length_km} km）`]) },
    { name: 'year', label: T('年度', 'Year'), type: 'number', required: true, value: year },
    { name: 'assessed_on', label: T('评价日期', 'Assessed on'), type: 'date', required: true, value: localToday() },
    { name: 'report_title', label: T('报告名称', 'Report title') },
    ...cfg.indicators.map((i) => ({ name: i.code, label: `${i.name}${i.required ? ' *' : ''}`, type: 'number', step: '0.1', min: '0', max: '100', required: i.required })),
  ]);
  if (!values) return;
  const scores = Object.fromEntries(cfg.indicators.filter((i) => values[i.code] !== null).map((i) => [i.code, Number(values[i.code])]));
  const made = await run(() => api('/api/v1/health-assessments', {
    method: 'POST',
    json: { river_id: river.id, segment_id: values.segment_id ? Number(values.segment_id) : null, year: Number(values.year), assessed_on: values.assessed_on, report_title: values.report_title, scores },
  }), (a) => T(`已录入：${a.score} 分，${a.health_label}`, `Recorded: ${a.score}, ${a.health_label}`));
  if (made) await render(host, { year: made.year, shown: made.id });
}

/** Draw the screen into ``host`` (params.year). */
export async function render(host, params = {}) {
  host.dataset.ready = '';
  const year = Number(params.year) || thisYear();
  try {
    const [cfg, list] = await Promise.all([api('/api/v1/health/config'), api(`/api/v1/health-assessments${qs({ year, limit: 1000 })}`)]);
    const u = state.user || {};
    const shown = h('div');
    const approve = async (a) => {
      if (!(await dialog(T(`审定：${a.river_name}${a.year}年健康评价`, `Approve: ${a.river_name} ${a.year}`), [], { submit: T('审定', 'Approve') }))) return;
      if (await run(() => api(`/api/v1/health-assessments/${a.id}/approve`, { method: 'POST' }), T('已审定', 'Approved'))) render(host, { year });
    };
    const remove = async (a) => {
      if (!(await dialog(T(`删除：${a.river_name}${a.year}年健康评价`, `Delete: ${a.river_name} ${a.year}`), [], { submit: T('删除', 'Delete') }))) return;
      if ((await run(() => api(`/api/v1/health-assessments/${a.id}`, { method: 'DELETE' }), T('已删除', 'Deleted'))) !== undefined) render(host, { year });
    };
    const mapButton = h('button', { type: 'button', 'aria-pressed': layer ? 'true' : 'false' }, T('地图显示健康评价图层', 'Health layer on the map'));
    mapButton.addEventListener('click', () => run(() => toggleLayer(year, mapButton)));
    host.replaceChildren(
      h('div', { class: 'gov-tools' }, yearSelect(year, (y) => render(host, { year: y })), mapButton,
        may('health.write') ? h('button', { type: 'button', onclick: () => record(host, year, cfg) }, T('录入健康评价', 'Record an assessment')) : ''),
      h('p', { class: 'muted' }, `${T('评价方法', 'Method')}：${cfg.source}；${cfg.classes.map((c) => `${c.label} ≥ ${c.min_score}`).join('，')}`),
      dataTable({
        caption: T(`${year}年河湖健康评价`, `River health ${year}`), rows: list, exportName: `health-${year}`,
        filters: [{ label: T('健康等级', 'Class'), value: (a) => a.health_class, options: cfg.classes.map((c) => [c.health_class, c.label]) }],
        columns: [
          { label: T('河流', 'River'), value: (a) => a.river_name },
          { label: T('河段', 'Segment'), value: (a) => a.segment_id ?? T('全河', 'whole river') },
          { label: T('评价日期', 'Assessed on'), value: (a) => a.assessed_on },
          { label: T('综合得分', 'Score'), value: (a) => a.score, num: true },
          { label: T('健康等级', 'Class'), value: (a) => a.health_label },
          { label: T('审定', 'Approved'), value: (a) => (a.approved_by_official_id ? T('已审定', 'approved') : T('待审定', 'pending')) },
          { label: T('操作', 'Actions'), noExport: true, text: () => '', value: (a) => h('span', { class: 'gov-actions' },
            h('button', { type: 'button', 'aria-label': `${T('查看', 'Show')} ${a.river_name}${a.segment_id ?? ''}`, onclick: () => shown.replaceChildren(detail(a)) }, T('查看', 'Show')),
            u.role === 'chief' && !a.approved_by_official_id ? h('button', { type: 'button', 'aria-label': `${T('审定', 'Approve')} ${a.river_name}${a.segment_id ?? ''}`, onclick: () => approve(a) }, T('审定', 'Approve')) : '',
            may('health.write') && !a.approved_by_official_id ? h('button', { type: 'button', 'aria-label': `${T('删除', 'Delete')} ${a.river_name}${a.segment_id ?? ''}`, onclick: () => remove(a) }, T('删除', 'Delete')) : '') },
        ],
      }),
      shown);
    const focus = list.find((a) => a.id === params.shown);
    if (focus) shown.replaceChildren(detail(focus));
    host.dataset.ready = '1';
  } catch (err) {
    host.replaceChildren(h('p', { class: 'error' }, errorText(err)));
  }
}
