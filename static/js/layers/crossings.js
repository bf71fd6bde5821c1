// Boundary crossings (跨界断面) from the public cross-boundary summary, and boundary reaches.
import { api } from '../api.js';
import { state, can, emit } from '../state.js';
import { t } from '../i18n.js';

const L = window.L;
let layer = null;
export let summary = [];

const ARROW = { inflow: '⇣', outflow: '⇡', along: '⇆' };

export async function loadCrossings() {
  if (!can('cross_boundary')) return;
  summary = await api('/api/v1/cross-boundary');
  if (!layer) {
    layer = L.layerGroup().addTo(state.map);
    state.layerControl.addOverlay(layer, t('layer.crossings'));
  }
  layer.clearLayers();
  for (const n of summary) {
    for (const r of n.rivers || []) {
      for (const c of r.crossings || []) {
        const m = L.marker([c.lat, c.lon], {
          pane: 'crossings',
          icon: L.divIcon({ className: `crossing ${c.direction}`, html: ARROW[c.direction] || '◆', iconSize: [20, 20] }),
          title: `${r.name} · ${n.neighbor_name}`,
        });
        m.bindTooltip(`${t('legend.crossing')}：${r.name} · ${n.neighbor_name}${c.neighbor_county ? ` ${c.neighbor_county}` : ''} · ${c.direction}`);
        m.on('click', () => emit('river:open', { id: r.river_id }));
        layer.addLayer(m);
      }
    }
  }
  emit('crossings:loaded', summary);
}
