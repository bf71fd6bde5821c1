// Workbench screen 一河一档 (issue 19): a river's archive — typed-in fields the office edits,
// and what the service computes (length in the city, counties and townships, reaches and
// their chiefs, sections, open problems, plans and lists) — with XLSX export and an A4 print.
//   /#wb-archive?river=<id> opens it at a river (the river panel's 一河一档 button).
import { api, qs } from '../../api.js';
import { h, toast } from '../../state.js';
import { localToday } from '../../period.js';
import { formDialog } from '../dialog.js';
import { saveBlob } from '../table.js';
import { mayUse } from '../access.js';
import { at } from '../../archive/text.js';

export const SCREEN = {
  id: 'archive', label: () => at('archive.title'), permission: 'archive.read', group: 'data',
  capability: 'river_archive',
};

const CLASSES = ['', 'Ⅰ', 'Ⅱ', 'Ⅲ', 'Ⅳ', 'Ⅴ'];

async function fetchBlob(path) {
  const res = await api(path, { raw: true });
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    throw new Error(body.detail || res.statusText);
  }
  return res.blob();
}

/** Open the A4 print view in a new tab (opened first, so no popup blocker stops it). */
export async function printArchive(riverId, day) {
  const win = window.open('', '_blank');
  try {
    const blob = await fetchBlob(`/api/v1/rivers/${riverId}/archive.html${qs({ on: day })}`);
    const url = URL.createObjectURL(blob);
    if (win) win.location.href = url; else window.location.href = url;
    setTimeout(() => URL.revokeObjectURL(url), 120000);
  } catch (err) {
    if (win) win.close();
    toast(err.message);
  }
}

function zonesText(zones) {
  return zones.map((z) => [z.name, z.kind || '', z.start || '', z.end || '', z.target_class || ''].join('，')).join('\n');
}

function parseZones(text) {
  return (text || '').split('\n').map((l) => l.trim()).filter(Boolean).map((line) => {
    const [name, kind, start, end, cls] = line.split(/[,，]/).map((x) => x.trim());
    const zone = { name };
    if (kind) zone.kind = kind;
    if (start) zone.start = start;
    if (end) zone.end = end;
    if (cls) zone.target_class = Number(cls);
    return zone;
  });
}

async function editArchive(a, redraw) {
  const num = (v) => (v === null || v === undefined || v === '' ? null : Number(v));
  const values = await formDialog({
    title: `${at('edit')} · ${a.name}`,
    fields: [
      { name: 'river_level', label: at('f.level'), value: a.river_level ?? '', maxlength: 120 },
      { name: 'basin', label: at('f.basin'), value: a.basin ?? '', maxlength: 120 },
      { name: 'source', label: at('f.source'), value: a.source ?? '', maxlength: 120 },
      { name: 'mouth', label: at('f.mouth'), value: a.mouth ?? '', maxlength: 120 },
      { name: 'total_length_km', label: at('f.total'), type: 'number', min: 0, step: 'any', value: a.total_length_km ?? '' },
      { name: 'catchment_area_km2', label: at('f.area'), type: 'number', min: 0, step: 'any', value: a.catchment_area_km2 ?? '' },
      { name: 'main_problems', label: at('f.problems'), type: 'textarea', rows: 4, value: a.main_problems.join('\n') },
      { name: 'water_function_zones', label: at('f.zones'), type: 'textarea', rows: 4, value: zonesText(a.water_function_zones) },
      { name: 'note', label: at('f.note'), type: 'textarea', maxlength: 2000, value: a.note ?? '' },
    ],
    submit: async (v) => {
      await api(`/api/v1/rivers/${a.river_id}/archive`, {
        method: 'PATCH',
        json: {
          river_level: v.river_level, basin: v.basin, source: v.source, mouth: v.mouth,
          total_length_km: num(v.total_length_km), catchment_area_km2: num(v.catchment_area_km2),
          main_problems: (v.main_problems || '').split('\n').map((x) => x.trim()).filter(Boolean),
          water_function_zones: parseZones(v.water_function_zones),
          note: v.note,
        },
      });
    },
  });
  if (values) { toast(at('saved')); await redraw(); }
}

function table(headers, rows) {
  if (!rows.length) return h('p', { class: 'muted' }, at('none'));
  return h('table', { class: 'wb-table archive-table' },
    h('thead', {}, h('tr', {}, headers.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c ?? ''))))));
}

function view(a) {
  const facts = [
    [at('f.code'), a.code || '—'], [at('f.level'), a.river_level || '—'], [at('f.class'), a.river_class],
    [at('f.basin'), a.basin || '—'], [at('f.source'), a.source || '—'], [at('f.mouth'), a.mouth || '—'],
    [at('f.total'), a.total_length_km ?? '—'], [at('f.incity'), a.length_in_city_km],
    [at('f.area'), a.catchment_area_km2 ?? '—'],
    [at('f.counties'), a.counties.map((c) => c.name).join('、') || '—'],
    [at('f.townships'), a.townships.map((t) => t.name).join('、') || '—'],
  ];
  return h('div', { class: 'archive-view' },
    h('dl', { class: 'facts' }, facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))])),
    h('h3', {}, at('s.reaches')),
    table([at('c.level'), at('c.reach'), at('c.length'), at('c.chiefs')], a.reaches.map((r) => [
      at(`lv.${r.level}`), r.name, String(r.length_km),
      r.chiefs.map((c) => (c.title ? `${c.name}（${c.title}）` : c.name)).join('；') || '—'])),
    h('h3', {}, at('s.sections')),
    table(['编码', '名称', '目标'], a.sections.map((s) => [s.code, s.name, CLASSES[s.target_class] || ''])),
    h('h3', {}, at('s.zones')),
    table(['名称', '类型', '起止', '目标'], a.water_function_zones.map((z) => [
      z.name, z.kind || '', `${z.start || ''} — ${z.end || ''}`, CLASSES[z.target_class || 0] || ''])),
    h('h3', {}, at('s.problems')),
    a.main_problems.length ? h('ol', {}, a.main_problems.map((p) => h('li', {}, p))) : h('p', { class: 'muted' }, at('none')),
    a.open_problems.length ? h('p', {}, `${at('s.open')}：`, a.open_problems.map((p) => `${p.label} ${p.open}`).join('，')) : '',
    h('h3', {}, at('s.plans')),
    table(['类别', '年度', '名称', '状态'], [
      ...a.plans.map((p) => ['一河一策', `${p.period_start}–${p.period_end}`, p.title, p.state]),
      ...a.annual_lists.map((x) => ['四张清单', String(x.year), `目标 ${x.targets} · 问题 ${x.problems} · 任务 ${x.tasks} · 责任 ${x.responsibilities}`, x.state]),
    ]));
}

export async function render(host, params = {}) {
  const rivers = await api('/api/v1/rivers?limit=1000');
  const select = h('select', { 'aria-label': at('river') },
    rivers.map((r) => h('option', { value: String(r.id) }, r.name)));
  if (params.river) select.value = String(params.river);
  const day = h('input', { type: 'date', value: localToday(), 'aria-label': at('on') });
  const body = h('div', { class: 'archive-body', 'aria-live': 'polite' });
  const buttons = h('div', { class: 'actions' });
  const draw = async () => {
    const id = select.value;
    body.replaceChildren(h('p', { class: 'muted' }, '…'));
    try {
      const a = await api(`/api/v1/rivers/${id}/archive${qs({ on: day.value })}`);
      buttons.replaceChildren(
        mayUse('archive.write') ? h('button', { type: 'button', onclick: () => editArchive(a, draw) }, at('edit')) : '',
        h('button', { type: 'button', onclick: () => fetchBlob(`/api/v1/rivers/${id}/archive.xlsx${qs({ on: day.value })}`)
          .then((b) => saveBlob(b, `一河一档-${a.name}.xlsx`)).catch((e) => toast(e.message)) }, at('xlsx')),
        h('button', { type: 'button', onclick: () => printArchive(id, day.value) }, at('print')));
      body.replaceChildren(view(a));
    } catch (err) {
      body.replaceChildren(h('p', { class: 'error', role: 'alert' }, err.message));
    }
  };
  select.addEventListener('change', draw);
  day.addEventListener('change', draw);
  host.replaceChildren(
    h('div', { class: 'wb-toolbar' }, h('label', {}, at('river'), ' ', select), ' ', h('label', {}, at('on'), ' ', day)),
    buttons, body);
  await draw();
}
