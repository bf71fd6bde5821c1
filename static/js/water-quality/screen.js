// The office's water-quality screen: the sections (登记断面), importing the bureau's readings
// (预览 then 导入, every refused row with its number and reason) and entering one by hand.
// A workbench screen: ``render(host, params)`` (static/js/wb/screens.js, once it lands); until
// then the map page opens it in the side panel (水质断面).
import { api } from '../api.js';
import { state, h, emit } from '../state.js';
import { errorText } from '../panel.js';
import { CLASS_COLOURS, classText, wt, PARAMETERS } from './text.js';

const KINDS = ['national', 'provincial', 'city', 'county', 'border'];

function field(label, control) { return h('label', {}, h('span', {}, label), control); }

function sectionsTable(rows) {
  if (!rows.length) return h('p', { class: 'muted' }, wt('none'));
  return h('table', { class: 'wq-table', 'aria-label': wt('sections') },
    h('thead', {}, h('tr', {}, ...[wt('code'), wt('name'), wt('kindf'), wt('panel.river'), wt('target'), wt('latest'), wt('panel.border')]
      .map((x) => h('th', {}, x)))),
    h('tbody', {}, rows.map((s) => {
      const sw = h('span', { class: 'sw dot' });
      sw.style.background = CLASS_COLOURS[s.latest?.class] ?? '#9e9e9e';
      return h('tr', { 'data-code': s.code },
        h('td', {}, s.code), h('td', {}, s.name), h('td', {}, wt(`kind.${s.kind}`)), h('td', {}, s.river_name),
        h('td', {}, classText(s.target_class)), h('td', {}, sw, s.latest ? classText(s.latest.class) : wt('nodata')),
        h('td', {}, s.neighbor_code ? `${s.neighbor_name} ${wt(`dir.${s.direction}`)}` : '—'));
    })));
}

function registerForm(rivers, onDone) {
  const out = h('div', { class: 'result', role: 'status' });
  const lon = h('input', { name: 'lon', type: 'number', step: 'any', min: -180, max: 180, required: true });
  const lat = h('input', { name: 'lat', type: 'number', step: 'any', min: -90, max: 90, required: true });
  const pick = h('button', { type: 'button', onclick: () => {
    out.replaceChildren(h('p', { class: 'muted' }, wt('picking')));
    state.map.once('click', (e) => {
      lon.value = e.latlng.lng.toFixed(6);
      lat.value = e.latlng.lat.toFixed(6);
      out.replaceChildren();
    });
  } }, wt('pick'));
  const form = h('form', { class: 'wq-form', 'aria-label': wt('register') },
    field(wt('name'), h('input', { name: 'name', required: true, maxlength: 200 })),
    field(wt('code'), h('input', { name: 'code', required: true, maxlength: 32, pattern: '[0-9A-Za-z][0-9A-Za-z_.\\-]{0,31}' })),
    field(wt('kindf'), h('select', { name: 'kind' }, KINDS.map((k) => new Option(wt(`kind.${k}`), k)))),
    field(wt('lon'), lon), field(wt('lat'), lat), pick,
    field(wt('targetf'), h('select', { name: 'target_class' }, [1, 2, 3, 4, 5].map((c) => new Option(classText(c), String(c), c === 3, c === 3)))),
    field(wt('operatorf'), h('input', { name: 'operator', maxlength: 200 })),
    field(wt('riverf'), h('select', { name: 'river_id' }, new Option(wt('anyriver'), ''),
      rivers.map((r) => new Option(r.name, String(r.id))))),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, wt('submit'))), out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const d = new FormData(form);
    const body = { name: d.get('name'), code: d.get('code'), kind: d.get('kind'), lon: Number(d.get('lon')),
      lat: Number(d.get('lat')), target_class: Number(d.get('target_class')) };
    if (d.get('operator')) body.operator = d.get('operator');
    if (d.get('river_id')) body.river_id = Number(d.get('river_id'));
    try {
      const s = await api('/api/v1/sections', { method: 'POST', json: body });
      out.replaceChildren(h('p', { class: 'ok' }, wt('registered', { name: s.name, river: s.river_name,
        km: (s.measure_m / 1000).toFixed(2), m: Math.round(s.snap_distance_m) })));
      form.reset();
      emit('sections:changed');
      onDone();
    } catch (err) {
      out.replaceChildren(h('p', { class: 'error' }, errorText(err)));
    }
  });
  return form;
}

function importResult(body, status) {
  const lines = [];
  if (status === 200) {
    lines.push(h('p', { class: 'ok' }, wt(body.dry_run ? 'previewed' : 'imported', { n: body.rows })));
  } else {
    lines.push(h('p', { class: 'error' }, wt('refused', { n: new Set(body.refused.map((r) => r.row)).size })));
    lines.push(h('table', { class: 'wq-table refused', 'aria-label': wt('refused', { n: body.refused.length }) },
      h('thead', {}, h('tr', {}, h('th', {}, wt('row')), h('th', {}, wt('column')), h('th', {}, wt('reason')))),
      h('tbody', {}, body.refused.map((r) => h('tr', {}, h('td', {}, String(r.row)), h('td', {}, r.column ?? '—'), h('td', {}, r.reason))))));
  }
  const readings = body.readings ?? [];
  if (readings.length) {
    lines.push(h('table', { class: 'wq-table' },
      h('thead', {}, h('tr', {}, h('th', {}, wt('row')), h('th', {}, wt('code')), h('th', {}, wt('panel.date')),
        h('th', {}, wt('panel.class')), h('th', {}, wt('target')))),
      h('tbody', {}, readings.map((r) => h('tr', { class: r.target_met === false ? 'warn' : '' },
        h('td', {}, String(r.row ?? '')), h('td', {}, r.section_code), h('td', {}, r.sampled_on),
        h('td', {}, classText(r.class)), h('td', {}, classText(r.target_class)))))));
  }
  for (const e of body.exceedances ?? []) {
    lines.push(h('p', { class: 'warn' }, wt('exceeded', { name: e.section_name, month: e.month.slice(0, 7),
      cls: classText(e.class), id: e.problem_id, what: wt(e.repeat ? 'supervised' : 'opened') })));
  }
  return lines;
}

function importForm(onDone) {
  const out = h('div', { class: 'result', role: 'status' });
  const file = h('input', { name: 'file', type: 'file', accept: '.csv,.xlsx', required: true });
  const send = async (dryRun) => {
    if (!file.files[0]) { file.reportValidity(); return; }
    const data = new FormData();
    data.set('file', file.files[0]);
    data.set('dry_run', dryRun ? 'true' : 'false');
    out.replaceChildren(h('p', { class: 'muted' }, '…'));
    try {
      const res = await api('/api/v1/sections/readings/import', { method: 'POST', form: data, raw: true });
      const body = await res.json();
      if (res.status !== 200 && !body.refused) throw new Error(body.detail);
      out.replaceChildren(...importResult(body, res.status));
      if (res.status === 200 && !dryRun) { emit('sections:changed'); onDone(); }
    } catch (err) {
      out.replaceChildren(h('p', { class: 'error' }, errorText(err)));
    }
  };
  return h('form', { class: 'wq-form', 'aria-label': wt('import'), onsubmit: (e) => { e.preventDefault(); send(false); } },
    h('p', { class: 'hint' }, wt('help')), field(wt('file'), file),
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => send(true) }, wt('preview')),
      h('button', { type: 'submit' }, wt('doimport'))), out);
}

function entryForm(sections, onDone) {
  const out = h('div', { class: 'result', role: 'status' });
  const form = h('form', { class: 'wq-form', 'aria-label': wt('entry') },
    field(wt('entrysection'), h('select', { name: 'section', required: true }, sections.map((s) => new Option(`${s.name}（${s.code}）`, String(s.id))))),
    field(wt('entrydate'), h('input', { name: 'sampled_on', type: 'date', required: true })),
    ...PARAMETERS.map((p) => field(`${wt(`p.${p}`)}${p === 'ph' ? '' : '（mg/L）'}`,
      h('input', { name: p, type: 'number', step: 'any', min: 0, max: p === 'ph' ? 14 : 1000 }))),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, wt('entrysubmit'))), out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const d = new FormData(form);
    const values = {};
    for (const p of PARAMETERS) if (d.get(p) !== '') values[p] = Number(d.get(p));
    try {
      const res = await api(`/api/v1/sections/${d.get('section')}/readings`, { method: 'POST',
        json: { sampled_on: d.get('sampled_on'), values } });
      out.replaceChildren(h('p', { class: 'ok' }, wt('saved', { cls: classText(res.reading.class) })),
        ...importResult({ exceedances: res.exceedances }, 200).slice(1));
      emit('sections:changed');
      onDone();
    } catch (err) {
      out.replaceChildren(h('p', { class: 'error' }, errorText(err)));
    }
  });
  return form;
}

/** Render the screen into ``host`` (the workbench's contract); the office's forms only. */
export async function render(host) {
  const list = h('div', { class: 'wq-sections' });
  const refresh = async () => {
    try { list.replaceChildren(sectionsTable(await api('/api/v1/sections'))); } catch (err) { list.replaceChildren(h('p', { class: 'error' }, errorText(err))); }
  };
  const [sections, rivers] = await Promise.all([api('/api/v1/sections'), api('/api/v1/rivers', { auth: false }).catch(() => [])]);
  list.replaceChildren(sectionsTable(sections));
  const office = state.user?.role === 'office';
  host.replaceChildren(h('section', { class: 'wq-screen' },
    h('h3', {}, wt('sections')), list,
    office ? [h('h3', {}, wt('import')), importForm(refresh),
      h('h3', {}, wt('register')), registerForm(rivers.filter((r) => r.kind !== 'lake'), refresh),
      sections.length ? [h('h3', {}, wt('entry')), entryForm(sections, refresh)] : ''] : ''));
}
