// 巡河记录 (issue 15 item 3): the patrols the caller may see in a table (chief, date, valid or
// why not, coverage, format) with paging and the total; a row shows its track on the map; GPX of
// a track, a GeoPackage of the filtered tracks, and for the office: void a patrol and download
// the raw upload. Files go through single-use links (wb/download.js).
import { api, qs } from '../../api.js';
import { h, state } from '../../state.js';
import { t } from '../../i18n.js';
import { mayUse } from '../access.js';
import { formDialog } from '../dialog.js';
import { download } from '../download.js';
import { createTable, listFetcher } from '../table.js';
import { st } from '../text-staff.js';

export const SCREEN = { id: 'patrols', label: () => st('pt.title'), permission: 'patrols.read', group: 'patrols' };

const L = window.L;
let trackLayer = null;

// The duty rules' reasons, in the page's words (i18n.js 'reason.*').
const why = (p) => (p.invalid_reasons || []).map((r) => t(`reason.${r}`)).join('、');

function toQuery(s) {
  return {
    chief_id: s.filters.chief_id, from: s.filters.from, to: s.filters.to, valid: s.filters.valid,
  };
}

async function showTrack(p, status) {
  const geo = await api(`/api/v1/patrols/${p.id}/track.geojson`);
  if (state.map && L) {
    if (trackLayer) state.map.removeLayer(trackLayer);
    trackLayer = L.geoJSON(geo, { style: { color: '#6a1b9a', weight: 4 }, interactive: false }).addTo(state.map);
    const b = trackLayer.getBounds();
    if (b.isValid()) state.map.fitBounds(b.pad(0.2));
  }
  status.textContent = st('pt.shown', { id: p.id });
}

async function chiefOptions() {
  try {
    const officials = await api('/api/v1/officials?limit=1000');
    return (officials || []).map((o) => [o.id, o.name]);
  } catch { return []; }
}

export async function render(host, params = {}) {
  const status = h('p', { class: 'muted', role: 'status' });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const fail = (err) => { error.textContent = st('error', { msg: err.message }); error.hidden = false; };
  const office = mayUse('patrols.void');
  const actions = (p) => h('span', { class: 'wb-actions' },
    h('button', { type: 'button', 'aria-label': st('pt.show', { id: p.id }), onclick: (e) => { e.stopPropagation(); showTrack(p, status).catch(fail); } }, '轨迹'),
    h('button', { type: 'button', 'aria-label': st('pt.gpx', { id: p.id }), onclick: (e) => { e.stopPropagation(); download(`/api/v1/patrols/${p.id}/track.gpx`, `patrol-${p.id}.gpx`).catch(fail); } }, 'GPX'),
    office && mayUse('patrols.raw') ? h('button', { type: 'button', 'aria-label': st('pt.raw', { id: p.id }), onclick: (e) => { e.stopPropagation(); download(`/api/v1/patrols/${p.id}/raw`).catch(fail); } }, '原始文件') : '',
    office && !p.voided_at ? h('button', { type: 'button', 'aria-label': st('pt.void', { id: p.id }), onclick: (e) => { e.stopPropagation(); voidPatrol(p); } }, '作废') : '');

  async function voidPatrol(p) {
    const values = await formDialog({
      title: st('pt.void.title', { id: p.id }),
      fields: [{ name: 'reason', label: st('pt.void.reason'), type: 'textarea', required: true, maxlength: 1000 }],
      submit: (v) => api(`/api/v1/patrols/${p.id}/void`, { method: 'POST', json: { reason: v.reason } }),
    });
    if (values) { status.textContent = st('pt.void.done', { id: p.id }); await table.reload(); }
  }

  const gpkg = h('button', { type: 'button', onclick: () => {
    download(`/api/v1/exports/patrol-tracks.gpkg${qs(toQuery(table.state))}`).catch(fail);
  } }, st('pt.gpkg'));

  const table = createTable({
    id: 'patrols',
    title: () => st('pt.title'),
    columns: [
      { key: 'id', label: st('pt.id'), type: 'number' },
      { key: 'chief_name', label: st('pt.chief') },
      { key: 'date', label: st('pt.date'), type: 'date' },
      { key: 'valid', label: st('pt.valid'), value: (p) => (p.valid ? st('pt.valid.yes') : st('pt.valid.no')) },
      { key: 'invalid_reasons', label: st('pt.why'), value: why },
      { key: 'rivers', label: st('pt.coverage'), value: (p) => (p.rivers || []).map((r) => `${r.name} ${(r.coverage * 100).toFixed(1)}%`).join('、') },
      { key: 'length_km', label: st('pt.length'), type: 'number' },
      { key: 'format', label: st('pt.format') },
      { key: 'counted', label: st('pt.counted'), value: (p) => (p.voided_at ? st('pt.voided') : p.counted ? st('yes') : st('no')) },
      { key: 'actions', label: st('pt.actions'), export: false, render: actions, value: () => '' },
    ],
    fetch: listFetcher('/api/v1/patrols', toQuery),
    search: false,
    filters: [
      { key: 'chief_id', label: st('pt.chief_id'), options: await chiefOptions(), value: params.chief_id },
      { key: 'from', label: st('pt.from'), type: 'date', value: params.from },
      { key: 'to', label: st('pt.to'), type: 'date', value: params.to },
      { key: 'valid', label: st('pt.valid'), options: [['true', st('pt.valid.yes')], ['false', st('pt.valid.no')]], value: params.valid },
    ],
    pageSize: 20,
    onRow: (p) => showTrack(p, status).catch(fail),
    rowKey: (p) => p.id,
    tools: [gpkg],
  });
  host.replaceChildren(table.el, status, error);
  await table.reload();
  if (params.id) table.select(Number(params.id));
}
