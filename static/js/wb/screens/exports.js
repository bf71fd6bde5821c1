// 数据导出 (issue 15 item 6): the map's layers with geometry as GeoPackage or GeoJSON, each
// scoped like its list (GET /api/v1/exports/{layer}.{gpkg|geojson}); problems and patrol tracks
// take the period of their lists. Files go through single-use links (wb/download.js).
import { qs } from '../../api.js';
import { h } from '../../state.js';
import { mayUse } from '../access.js';
import { download } from '../download.js';
import { st } from '../text-staff.js';

export const SCREEN = { id: 'exports', label: () => st('ex.title'), permission: 'registry.read', group: 'data' };

const LAYERS = [
  { id: 'rivers', permission: 'registry.read', period: false },
  { id: 'segments', permission: 'registry.read', period: false },
  { id: 'problems', permission: 'problems.read', period: true },
  { id: 'patrol-tracks', permission: 'patrols.track', period: true },
];

export function render(host) {
  const status = h('p', { class: 'muted', role: 'status' });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const from = h('input', { type: 'date', id: 'wb-ex-from', 'aria-label': st('ex.from') });
  const to = h('input', { type: 'date', id: 'wb-ex-to', 'aria-label': st('ex.to') });
  const rows = LAYERS.filter((l) => mayUse(l.permission)).map((l) => {
    const name = st(`ex.${l.id}`);
    const button = (fmt) => h('button', { type: 'button', 'aria-label': st('ex.button', { layer: name, fmt: fmt === 'gpkg' ? 'GeoPackage' : 'GeoJSON' }),
      onclick: () => {
        error.hidden = true;
        const period = l.period ? qs({ from: from.value, to: to.value }) : '';
        download(`/api/v1/exports/${l.id}.${fmt}${period}`)
          .then(() => { status.textContent = st('ex.done', { layer: name }); })
          .catch((err) => { error.textContent = st('error', { msg: err.message }); error.hidden = false; });
      } }, fmt === 'gpkg' ? 'GeoPackage' : 'GeoJSON');
    return h('tr', {}, h('th', { scope: 'row' }, name), h('td', {}, button('gpkg'), ' ', button('geojson')));
  });
  host.replaceChildren(
    h('p', {}, st('ex.hint')),
    h('p', { class: 'wb-toolbar' },
      h('label', { for: 'wb-ex-from' }, st('ex.from')), from, h('label', { for: 'wb-ex-to' }, st('ex.to')), to),
    h('table', { class: 'wb-table' }, h('caption', { class: 'sr' }, st('ex.title')), h('tbody', {}, ...rows)),
    status, error);
}
