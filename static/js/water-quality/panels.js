// The section panel (a click on a section) and the water-quality block of the river panel.
import { api, qs } from '../api.js';
import { state, h, on, isStaff } from '../state.js';
import { openPanel, loading, errorText, facts, section, setView } from '../panel.js';
import { classGrid } from './chart.js';
import { classText, wt, PARAMETERS } from './text.js';

function period() {
  const p = state.period;
  return p ? { from: p.from, to: p.to } : {};
}

/** The river panel's block: every section of the river, class by month over the period. */
export async function waterQualityBlock(riverId) {
  const rows = await api(`/api/v1/water-quality/series${qs({ river_id: riverId, ...period() })}`, { auth: false });
  if (!rows.length) return section(wt('river.block'), h('p', { class: 'muted' }, wt('river.none')));
  return section(wt('river.block'),
    classGrid(rows, { label: wt('chart.label', { name: rows[0].river_name }) }),
    h('ul', { class: 'plain' }, rows.map((s) => h('li', {},
      h('a', { href: `#section-${s.id}`, onclick: (e) => { e.preventDefault(); setView(() => showSection(s.id)); } },
        `${s.name}（${wt(`kind.${s.kind}`)}）`),
      ` · ${wt('target')} ${classText(s.target_class)} · ${classText(s.period_class)}`))));
}

function readingsTable(rows) {
  return h('div', { class: 'wq-scroll' }, h('table', { class: 'wq-table' },
    h('thead', {}, h('tr', {}, h('th', {}, wt('panel.date')), h('th', {}, wt('panel.class')),
      ...PARAMETERS.map((p) => h('th', {}, wt(`p.${p}`))))),
    h('tbody', {}, rows.map((r) => h('tr', { class: r.target_met === false ? 'warn' : '' },
      h('td', {}, r.sampled_on), h('td', {}, classText(r.class)),
      ...PARAMETERS.map((p) => h('td', { class: 'num' }, r.values[p] ?? '—')))))));
}

export async function showSection(id) {
  loading('…');
  let s;
  try {
    s = await api(`/api/v1/sections/${id}`, { auth: false });
  } catch (err) {
    openPanel('—', h('p', { class: 'error' }, errorText(err)));
    return;
  }
  const border = s.neighbor_code ? `${s.neighbor_name} · ${wt(`dir.${s.direction}`)}` : '';
  const counties = [s.upstream_county, s.downstream_county].map((c) => (c ? c.name : '—')).join(' / ');
  const info = facts([
    [wt('panel.code'), s.code],
    [wt('panel.kind'), wt(`kind.${s.kind}`)],
    [wt('panel.river'), s.river_name],
    [wt('target'), classText(s.target_class)],
    [wt('latest'), s.latest ? `${classText(s.latest.class)} · ${s.latest.month.slice(0, 7)} · ${wt(s.latest.target_met ? 'met' : 'missed')}` : wt('nodata')],
    [wt('panel.border'), border],
    [wt('panel.counties'), counties],
    [wt('panel.measure'), `${(s.measure_m / 1000).toFixed(2)} km`],
    [wt('panel.snap'), `${Math.round(s.snap_distance_m)} m`],
    [wt('panel.operator'), s.operator],
  ]);
  const placeholder = h('div', { class: 'async' });
  openPanel(wt('panel.title', { name: s.name }), info, placeholder);
  const blocks = [];
  try {
    const rows = await api(`/api/v1/water-quality/series${qs({ river_id: s.river_id, ...period() })}`, { auth: false });
    const mine = rows.filter((r) => r.id === id);
    if (mine.length) blocks.push(classGrid(mine, { label: wt('chart.label', { name: s.name }) }));
    if (isStaff() || state.user?.role === 'neighbor_viewer') {
      const readings = await api(`/api/v1/sections/${id}/readings${qs(period())}`);
      blocks.push(section(wt('panel.readings'), readings.length ? readingsTable(readings) : h('p', { class: 'muted' }, wt('nodata'))));
    }
  } catch (err) {
    blocks.push(h('p', { class: 'error' }, errorText(err)));
  }
  placeholder.replaceChildren(...blocks);
}

export function initSectionPanel() {
  on('section:open', ({ id }) => setView(() => showSection(id)));
}

/** The neighbour view's blocks: the 交接断面水质清单 (class by month) and the inflow
 * exceedances for the next joint meeting (``view.water_quality`` of the cross-boundary view). */
export function neighborWaterQualityBlocks(wq) {
  if (!wq) return [];
  const rows = wq.border_sections || [];
  const list = section(wt('border.list'), rows.length
    ? [classGrid(rows, { label: wt('border.list') }),
      h('ul', { class: 'plain' }, rows.map((s) => h('li', {}, `${s.river_name} ${s.name} · ${wt(`dir.${s.direction}`)} · `
        + `${s.upstream_county?.name ?? '—'} → ${s.downstream_county?.name ?? '—'} · ${wt('target')} ${classText(s.target_class)}`
        + ` · ${classText(s.period_class)}`)))]
    : h('p', { class: 'muted' }, wt('border.none')));
  const agenda = section(wt('border.agenda'), (wq.agenda || []).length
    ? h('ul', { class: 'plain' }, wq.agenda.map((a) => h('li', { class: 'warn' }, a.title,
      a.problem_id ? [' · ', h('a', { href: `/#problem-${a.problem_id}` }, `#${a.problem_id}`)] : '',
      a.problem_state_label ? ` · ${a.problem_state_label}` : '')))
    : h('p', { class: 'muted' }, wt('border.noagenda')));
  return [list, agenda];
}
