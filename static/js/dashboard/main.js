// 驾驶舱 (issue 17): GET /api/v1/stats/overview drawn with Apache ECharts (vendored, SVG
// renderer so the 通报 prints sharp). Every number and chart element opens the list behind it.
import * as echarts from '../../vendor/echarts/echarts.esm.min.js';
import { api } from '../api.js';
import { localTime } from '../i18n.js';
import { h } from '../state.js';
import { tx } from './text.js';
import { openList } from './list.js';

const charts = [];
const MAX_DAYS = 3 * 366;

function today() {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

function lastMonth() {
  const [y, m] = today().split('-').map(Number);
  const year = m === 1 ? y - 1 : y;
  const month = m === 1 ? 12 : m - 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const mm = String(month).padStart(2, '0');
  return { from: `${year}-${mm}-01`, to: `${year}-${mm}-${last}` };
}

/** The period from the address (?from=&to=), else this year to today. */
function periodFromUrl() {
  const q = new URLSearchParams(location.search);
  const t = today();
  return { from: q.get('from') || `${t.slice(0, 4)}-01-01`, to: q.get('to') || t, pub: q.get('public') };
}

/** Why a custom range is impossible, or '' when it is fine. */
export function rangeProblem(from, to) {
  if (!from || !to) return '';
  if (from > to) return tx('range.bad');
  if ((Date.parse(to) - Date.parse(from)) / 86400000 + 1 > MAX_DAYS) return tx('range.long');
  return '';
}

function fmt(v, kind) {
  if (v === null || v === undefined) return '—';
  if (kind === 'pct') return `${(v * 100).toFixed(1)}%`;
  if (kind === 'days') return tx('days', { n: v });
  return String(v);
}

function kpi(label, fig, { kind, warn, value } = {}) {
  const v = value !== undefined ? value : fig.value;
  return h('a', { class: 'kpi', href: fig.list, 'data-list': '1', onclick: (e) => { e.preventDefault(); openList(label, fig); } },
    h('div', { class: `v${warn && v ? ' warn' : ''}` }, fmt(v, kind)),
    h('div', { class: 'k' }, label));
}

function card(title, { wide = false, tall = false } = {}) {
  const box = h('div', { class: `chart${tall ? ' tall' : ''}`, role: 'img', 'aria-label': title });
  const el = h('section', { class: `card${wide ? ' wide' : ''}` }, h('h2', {}, title), box);
  return { el, box };
}

function draw(box, option, figures, title) {
  const chart = echarts.init(box, null, { renderer: 'svg' });
  chart.setOption({ animation: false, grid: { left: 48, right: 16, top: 30, bottom: 40, containLabel: true }, tooltip: { trigger: 'item' }, ...option });
  chart.on('click', (p) => {
    const fig = figures?.[p.seriesIndex]?.[p.dataIndex];
    if (fig) openList(`${title} · ${p.name}`, fig);
  });
  charts.push(chart);
  return chart;
}

function bars(names, values, { pct = false, name = '', horizontal = false } = {}) {
  const cat = { type: 'category', data: names, axisLabel: { interval: 0, rotate: horizontal ? 0 : 30 } };
  const val = { type: 'value', max: pct ? 100 : undefined, axisLabel: { formatter: pct ? '{value}%' : '{value}' } };
  return {
    ...(horizontal ? { grid: { left: 48, right: 56, top: 20, bottom: 30, containLabel: true } } : {}),
    xAxis: horizontal ? val : cat,
    yAxis: horizontal ? { ...cat, inverse: true } : val,
    series: [{ type: 'bar', name, data: values.map((v) => (pct && v != null ? +(v * 100).toFixed(1) : v)), itemStyle: { color: '#0b5c8a' }, label: { show: true, position: horizontal ? 'right' : 'top', formatter: pct ? '{c}%' : '{c}' } }],
  };
}

function render(data) {
  const main = document.getElementById('dash');
  for (const c of charts.splice(0)) c.dispose();
  main.replaceChildren();
  const p = data.problems;
  const r = data.public_reports;
  const patrols = data.patrols_by_month;
  const kpis = h('section', { class: 'kpis', 'aria-label': 'KPI' },
    kpi(tx('kpi.problems'), p.total),
    kpi(tx('kpi.closed'), p.closed),
    kpi(tx('kpi.rate'), p.closed, { kind: 'pct', value: p.closure_rate }),
    kpi(tx('kpi.median'), p.median_days_to_close, { kind: 'days' }),
    kpi(tx('kpi.overdue'), p.overdue, { warn: true }),
    kpi(tx('kpi.reports'), r.received),
    kpi(tx('kpi.reports_closed'), r.closed),
    kpi(tx('kpi.shared'), data.cross_boundary.shared_rivers),
    kpi(tx('kpi.neighbors'), data.cross_boundary.neighbors));
  if (patrols) {
    const sum = patrols.reduce((a, m) => a + m.patrols.value, 0);
    const all = { value: sum, list: patrols.length ? patrols[0].patrols.list.replace(/to=[^&]*/, `to=${data.to}`) : '/api/v1/patrols' };
    kpis.append(kpi(tx('kpi.patrols'), all));
  }
  main.append(kpis, h('p', { class: 'note no-print' }, tx('note.links')));

  const cc = data.coverage_counties;
  const c1 = card(tx('chart.county_cov'));
  main.append(c1.el);
  draw(c1.box, bars(cc.map((c) => c.name), cc.map((c) => c.coverage.value), { pct: true, name: tx('series.coverage') }), [cc.map((c) => c.coverage)], tx('chart.county_cov'));

  const rivers = [...data.coverage_rivers].sort((a, b) => b.coverage.value - a.coverage.value).slice(0, 15);
  const c2 = card(tx('chart.river_cov'), { tall: true });
  main.append(c2.el);
  draw(c2.box, bars(rivers.map((x) => x.name), rivers.map((x) => x.coverage.value), { pct: true, horizontal: true, name: tx('series.coverage') }), [rivers.map((x) => x.coverage)], tx('chart.river_cov'));

  if (patrols) {
    const c3 = card(tx('chart.months'));
    main.append(c3.el);
    draw(c3.box, bars(patrols.map((m) => m.month), patrols.map((m) => m.patrols.value), { name: tx('series.patrols') }), [patrols.map((m) => m.patrols)], tx('chart.months'));
  }

  const states = p.by_state.filter((b) => b.count.value > 0);
  const c4 = card(tx('chart.state'));
  main.append(c4.el);
  draw(c4.box, { tooltip: { trigger: 'item' }, legend: { bottom: 0, type: 'scroll' }, series: [{ type: 'pie', radius: ['35%', '65%'], label: { formatter: '{b} {c}' }, data: states.map((b) => ({ name: b.label, value: b.count.value })) }] }, [states.map((b) => b.count)], tx('chart.state'));

  const cats = p.by_category;
  const c5 = card(tx('chart.category'));
  main.append(c5.el);
  draw(c5.box, bars(cats.map((b) => b.label), cats.map((b) => b.count.value), { name: tx('series.problems') }), [cats.map((b) => b.count)], tx('chart.category'));

  const pc = p.by_county;
  const c6 = card(tx('chart.county_pb'), { wide: true });
  main.append(c6.el);
  draw(c6.box, {
    legend: { top: 0 },
    xAxis: { type: 'category', data: pc.map((c) => c.name), axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: 'value' },
    series: [
      { type: 'bar', name: tx('series.problems'), data: pc.map((c) => c.count.value), itemStyle: { color: '#0b5c8a' }, label: { show: true, position: 'top' } },
      { type: 'bar', name: tx('series.overdue'), data: pc.map((c) => c.overdue.value), itemStyle: { color: '#c0392b' }, label: { show: true, position: 'top' } },
    ],
  }, [pc.map((c) => c.count), pc.map((c) => c.overdue)], tx('chart.county_pb'));

  if (data.compliance) {
    const lv = data.compliance.levels;
    const c7 = card(tx('chart.compliance'));
    main.append(c7.el);
    draw(c7.box, {
      legend: { top: 0 },
      xAxis: { type: 'category', data: lv.map((l) => tx(`level.${l.level}`)) },
      yAxis: { type: 'value' },
      series: [
        { type: 'bar', name: tx('series.officials'), data: lv.map((l) => l.officials.value), itemStyle: { color: '#0b5c8a' }, label: { show: true, position: 'top' } },
        { type: 'bar', name: tx('series.behind'), data: lv.map((l) => l.behind.value), itemStyle: { color: '#c0392b' }, label: { show: true, position: 'top' } },
      ],
    }, [lv.map((l) => l.officials), lv.map((l) => l.behind)], tx('chart.compliance'));
    const rows = data.compliance.behind.slice(0, 15).map((b) => h('tr', {},
      h('td', {}, b.name), h('td', {}, tx(`level.${b.level}`)), h('td', { class: 'n' }, `${b.total}/${b.required_total}`),
      h('td', { class: 'missing' }, short(b.missing.join('；') || tx('none')))));
    main.append(h('section', { class: 'card' }, h('h2', {}, tx('behind', { year: data.compliance.year })),
      h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, tx('behind.name')), h('th', {}, tx('behind.level')),
        h('th', { class: 'n' }, tx('behind.done')), h('th', {}, tx('behind.missing')))), h('tbody', {}, rows))));
  }
}

function short(text, n = 90) { return text.length > n ? `${text.slice(0, n)}…` : text; }

function header(data) {
  document.getElementById('dash-title').textContent = tx('title');
  document.getElementById('dash-period').textContent = tx('period', { from: data.from, to: data.to });
  document.getElementById('dash-generated').textContent = tx('generated', { at: localTime(data.generated_at) });
  document.getElementById('dash-audience').textContent = data.public ? tx('public') : tx('staff');
  document.title = `${tx('title')} ${data.from}–${data.to}`;
}

async function load(period) {
  const main = document.getElementById('dash');
  const error = document.getElementById('dash-error');
  main.setAttribute('aria-busy', 'true');
  document.body.dataset.ready = '0';
  error.hidden = true;
  const q = new URLSearchParams({ from: period.from, to: period.to });
  if (period.pub) q.set('public', '1');
  try {
    const data = await api(`/api/v1/stats/overview?${q}`);
    header(data);
    render(data);
    document.body.dataset.ready = '1';
  } catch (err) {
    error.textContent = tx('failed', { msg: err.message });
    error.hidden = false;
    document.getElementById('dash-loading')?.remove();
  } finally {
    main.setAttribute('aria-busy', 'false');
  }
}

function init() {
  const period = periodFromUrl();
  const form = document.getElementById('dash-form');
  const from = document.getElementById('dash-from');
  const to = document.getElementById('dash-to');
  from.value = period.from;
  to.value = period.to;
  document.getElementById('dash-loading').textContent = tx('loading');
  const check = () => {
    const why = rangeProblem(from.value, to.value);
    from.setCustomValidity(why);
    return why;
  };
  from.addEventListener('input', check);
  to.addEventListener('input', check);
  const go = (next) => {
    const q = new URLSearchParams({ from: next.from, to: next.to });
    if (period.pub) q.set('public', '1');
    history.replaceState(null, '', `?${q}`);
    load({ ...next, pub: period.pub });
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const why = check();
    if (why) { form.reportValidity(); return; }
    go({ from: from.value, to: to.value });
  });
  document.getElementById('dash-month').addEventListener('click', () => {
    const m = lastMonth();
    from.value = m.from;
    to.value = m.to;
    check();
    go(m);
  });
  document.getElementById('dash-print').addEventListener('click', () => window.print());
  const resize = () => { for (const c of charts) c.resize(); };
  window.addEventListener('resize', resize);
  window.addEventListener('beforeprint', resize);
  window.addEventListener('afterprint', resize);
  load(period);
}

init();
