// 河段管理: the office lists a river's reaches, cuts township and village reaches (by measure,
// or by clicking both ends on the map, snapped to the river), appoints their chiefs and ends
// them. One screen module: ``render(host, params)`` draws it into any element (the side
// panel today, the workbench's workspace once it lists this screen).
import { api, qs } from '../api.js';
import { state, h, toast, emit } from '../state.js';
import { errorText } from '../panel.js';
import { localToday } from '../period.js';
import { tr } from './strings.js';
import { reloadReaches } from './layer.js';

const L = window.L;
/** For the workbench's SCREENS list (id, label, permission, capability, module). */
export const SCREEN = {
  id: 'reaches', label: () => tr('screen.title'), permission: 'reaches.write', capability: 'reach_cut',
  module: '/static/js/wb/screens/reaches.js',
};

const isOffice = () => state.user?.role === 'office';

/** A modal form with labelled fields; resolves with the values, or null when cancelled. */
function dialog(title, fields, { onPick } = {}) {
  return new Promise((resolve) => {
    const inputs = {};
    const rows = fields.map((f) => {
      let el;
      if (f.options) {
        el = h('select', { name: f.name, required: f.required || undefined },
          f.required ? '' : h('option', { value: '' }, '—'),
          ...f.options.map(([v, label]) => h('option', { value: String(v) }, label)));
        if (f.value !== undefined) el.value = String(f.value);
      } else {
        el = h('input', { name: f.name, type: f.type || 'text', value: f.value ?? undefined, required: f.required || undefined, step: f.step });
      }
      inputs[f.name] = el;
      return h('label', {}, h('span', {}, f.label), el);
    });
    const error = h('p', { class: 'error', role: 'alert', hidden: true });
    const picked = h('p', { class: 'hint', hidden: true });
    const dlg = h('dialog', { class: 'reach-dialog', 'aria-label': title });
    const close = (value) => { dlg.close(); dlg.remove(); resolve(value); };
    const form = h('form', {},
      h('h2', {}, title), ...rows,
      onPick ? h('button', { type: 'button', onclick: () => onPick(dlg, inputs, picked) }, tr('pick')) : '',
      picked, error,
      h('div', { class: 'actions' },
        h('button', { type: 'submit' }, tr('ok')),
        h('button', { type: 'button', class: 'cancel', onclick: () => close(null) }, tr('cancel'))));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const values = Object.fromEntries(Object.entries(inputs).map(([k, el]) => [k, el.value.trim() || null]));
      const missing = fields.filter((f) => f.required && !values[f.name]).map((f) => f.label);
      if (missing.length) { error.textContent = missing.join('、'); error.hidden = false; return; }
      close(values);
    });
    // Escape closes a modal dialog without a click on 取消: treat it the same.
    dlg.addEventListener('cancel', (e) => { e.preventDefault(); close(null); });
    dlg.append(form);
    document.body.append(dlg);
    dlg.showModal();
  });
}

/** Let the office click both ends of a reach on the map; fills the measure fields. */
function pickOnMap(riverId) {
  return (dlg, inputs, picked) => {
    dlg.close();
    const map = state.map;
    const marks = [];
    const snapped = [];
    const ask = (n) => {
      toast(tr('picking', { n: n === 0 ? tr('start') : tr('endpt') }), 15000);
      map.getContainer().classList.add('picking');
      map.once('click', async (e) => {
        map.getContainer().classList.remove('picking');
        try {
          const p = await api(`/api/v1/reaches/snap${qs({ river_id: riverId, lon: e.latlng.lng.toFixed(6), lat: e.latlng.lat.toFixed(6) })}`, { auth: false });
          snapped.push(p);
          marks.push(L.circleMarker([p.lat, p.lon], { radius: 7, color: '#e67e22', className: 'reach-pick' }).addTo(map));
        } catch (err) {
          toast(errorText(err));
          marks.forEach((m) => m.remove());
          dlg.showModal();
          return;
        }
        if (snapped.length < 2) { ask(1); return; }
        const [a, b] = snapped.map((p) => p.measure_m).sort((x, y) => x - y);
        inputs.from_m.value = a.toFixed(1);
        inputs.to_m.value = b.toFixed(1);
        picked.textContent = tr('picked', { a: a.toFixed(0), b: b.toFixed(0) });
        picked.hidden = false;
        setTimeout(() => marks.forEach((m) => m.remove()), 4000);
        dlg.showModal();
      });
    };
    ask(0);
  };
}

async function cut(host, river, reaches) {
  const counties = [...new Set(reaches.filter((r) => r.level === 'county').map((r) => r.admin_code))];
  const towns = (await Promise.all(counties.map((c) => api(`/api/v1/townships${qs({ county: c })}`, { auth: false })))).flat();
  const values = await dialog(tr('cut.title'), [
    { name: 'level', label: tr('level'), options: [['township', tr('level.township')], ['village', tr('level.village')]], required: true, value: 'village' },
    { name: 'admin_code', label: tr('township'), options: towns.map((t) => [t.code, `${t.name}（${t.code}）`]), required: true },
    { name: 'village_name', label: tr('village') },
    { name: 'bank', label: tr('bank'), options: [['left', tr('bank.left')], ['right', tr('bank.right')], ['both', tr('bank.both')]] },
    { name: 'from_m', label: tr('from'), type: 'number', step: '0.1', required: true },
    { name: 'to_m', label: tr('to'), type: 'number', step: '0.1', required: true },
    { name: 'valid_from', label: tr('valid_from'), type: 'date', value: localToday(), required: true },
  ], { onPick: pickOnMap(river.id) });
  if (!values) return;
  try {
    const made = await api('/api/v1/reaches', { method: 'POST', json: {
      river_id: river.id, level: values.level, admin_code: values.admin_code,
      village_name: values.level === 'village' ? values.village_name : null, bank: values.bank,
      from_m: Number(values.from_m), to_m: Number(values.to_m), valid_from: values.valid_from } });
    toast(tr('done.cut', { code: made.code, name: made.name }));
    reloadReaches();
    await render(host, { river_id: river.id });
  } catch (err) {
    toast(errorText(err), 10000);
  }
}

async function appoint(host, reach) {
  const officials = await api('/api/v1/officials?limit=10000');
  const values = await dialog(tr('assign.title', { name: reach.name }), [
    { name: 'official_id', label: tr('official'), options: officials.map((o) => [o.id, `${o.name}${o.title ? ` · ${o.title}` : ''}`]) },
    { name: 'name', label: `${tr('official.new')}（${tr('official.name')}）` },
    { name: 'title', label: tr('official.title') },
    { name: 'valid_from', label: tr('valid_from'), type: 'date', value: localToday(), required: true },
  ]);
  if (!values) return;
  try {
    let officialId = values.official_id ? Number(values.official_id) : null;
    if (!officialId && values.name) {
      officialId = (await api('/api/v1/officials', { method: 'POST', json: { name: values.name, title: values.title } })).id;
    }
    await api('/api/v1/assignments', { method: 'POST', json: {
      reach_id: reach.id, official_id: officialId, role: 'river_chief', level: reach.level, valid_from: values.valid_from } });
    toast(tr('done.assign', { name: reach.name }));
    reloadReaches();
    await render(host, { river_id: reach.river_id });
  } catch (err) {
    toast(errorText(err), 10000);
  }
}

async function endReach(host, reach) {
  const values = await dialog(tr('end.title', { name: reach.name }), [
    { name: 'valid_to', label: tr('valid_to'), type: 'date', value: localToday(), required: true },
  ]);
  if (!values) return;
  try {
    await api(`/api/v1/reaches/${reach.id}/end`, { method: 'POST', json: { valid_to: values.valid_to } });
    toast(tr('done.end', { name: reach.name }));
    reloadReaches();
    await render(host, { river_id: reach.river_id });
  } catch (err) {
    toast(errorText(err), 10000);
  }
}

function row(host, r) {
  const actions = isOffice() ? [
    h('button', { type: 'button', onclick: () => appoint(host, r), 'aria-label': `${tr('assign')} ${r.name}` }, tr('assign')),
    ['township', 'village'].includes(r.level)
      ? h('button', { type: 'button', onclick: () => endReach(host, r), 'aria-label': `${tr('end')} ${r.name}` }, tr('end')) : '',
  ] : [];
  return h('tr', { 'data-reach': r.id, 'data-level': r.level },
    h('td', {}, tr(`level.${r.level}`)), h('td', {}, r.code),
    h('td', {}, r.name, r.bank ? `（${tr(`bank.${r.bank}`)}）` : ''),
    h('td', { class: 'num' }, r.from_m.toFixed(0)), h('td', { class: 'num' }, r.to_m.toFixed(0)),
    h('td', { class: 'num' }, r.length_km.toFixed(2)),
    h('td', {}, r.chiefs.map((c) => c.name).join('、')), h('td', {}, ...actions));
}

/** Draw the screen into ``host`` (params.river_id: the river shown). */
export async function render(host, params = {}) {
  const rivers = (state.rivers?.length ? state.rivers : await api('/api/v1/rivers', { auth: false }));
  const riverId = Number(params.river_id) || rivers[0]?.id;
  const river = rivers.find((r) => r.id === riverId) ?? rivers[0];
  const select = h('select', { 'aria-label': tr('river') }, ...rivers.map((r) => h('option', { value: String(r.id) }, r.name)));
  select.value = String(river.id);
  select.addEventListener('change', () => render(host, { river_id: select.value }));
  let reaches = [];
  try {
    reaches = await api(`/api/v1/reaches${qs({ river_id: river.id })}`, { auth: false });
  } catch (err) {
    host.replaceChildren(h('p', { class: 'error' }, errorText(err)));
    return;
  }
  const table = h('table', { class: 'reaches' },
    h('thead', {}, h('tr', {}, ...['level', 'code', 'name', 'from', 'to', 'length', 'chiefs', 'actions'].map((k) => h('th', { scope: 'col' }, tr(k))))),
    h('tbody', {}, reaches.map((r) => row(host, r))));
  host.replaceChildren(
    h('div', { class: 'row' }, h('label', {}, `${tr('river')} `, select),
      isOffice() ? h('button', { type: 'button', onclick: () => cut(host, river, reaches) }, tr('cut')) : '',
      h('a', { href: `#river-${river.id}`, onclick: (e) => { e.preventDefault(); emit('river:open', { id: river.id }); } }, river.name)),
    h('p', { class: 'muted' }, tr('count', { n: reaches.length })),
    h('div', { class: 'table-wrap' }, table));
  host.dataset.ready = '1';
}
