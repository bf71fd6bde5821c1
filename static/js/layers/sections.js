// Monitoring sections (监测断面) on the map, coloured by their latest water class (issue 20).
import { api } from '../api.js';
import { state, can, emit, on } from '../state.js';
import { onLangChange } from '../i18n.js';
import { CLASS_COLOURS, NODATA, classText, wt } from '../water-quality/text.js';

const L = window.L;
let layer = null;
let legend = null;

function legendControl() {
  const control = L.control({ position: 'bottomright' });
  let box;
  const render = () => {
    box.replaceChildren();
    const title = document.createElement('strong');
    title.textContent = wt('legend');
    box.append(title);
    for (const [cls, colour] of [...Object.entries(CLASS_COLOURS), ['', NODATA]]) {
      const row = document.createElement('div');
      const sw = document.createElement('span');
      sw.className = 'sw dot';
      sw.style.background = colour; // CSSOM, not an inline style attribute (CSP-safe)
      row.append(sw, document.createTextNode(classText(Number(cls) || null)));
      box.append(row);
    }
  };
  control.onAdd = () => {
    box = L.DomUtil.create('div', 'legend wq-legend');
    L.DomEvent.disableClickPropagation(box);
    render();
    return box;
  };
  onLangChange(() => box && render());
  return control;
}

function tooltip(p) {
  const target = wt('target');
  const when = p.month ? ` · ${p.month.slice(0, 7)}` : '';
  return `${p.name}（${wt(`kind.${p.kind}`)}）· ${classText(p.class)}${when} · ${target} ${classText(p.target_class)}`;
}

/** Load (or reload) the layer; the server answers it from its read cache. */
export async function loadSections() {
  if (!can('sections_geojson')) return;
  const data = await api('/api/v1/sections.geojson', { auth: false });
  if (!layer) {
    if (!state.map.getPane('sections')) state.map.createPane('sections').style.zIndex = '630';
    layer = L.layerGroup().addTo(state.map);
    state.layerControl.addOverlay(layer, wt('layer'));
    legend = legendControl().addTo(state.map);
    state.map.on('overlayadd', (e) => { if (e.layer === layer) legend.addTo(state.map); });
    state.map.on('overlayremove', (e) => { if (e.layer === layer) legend.remove(); });
  }
  layer.clearLayers();
  for (const f of data.features) {
    const p = f.properties;
    const [lon, lat] = f.geometry.coordinates;
    const marker = L.circleMarker([lat, lon], {
      pane: 'sections',
      radius: p.kind === 'border' || p.neighbor_code ? 8 : 6,
      color: p.target_met === false ? '#b00020' : '#222',
      weight: p.target_met === false ? 3 : 1.5,
      fillColor: p.colour,
      fillOpacity: 0.95,
      className: `wq-section wq-class-${p.class ?? 'none'}`,
    });
    marker.bindTooltip(tooltip(p));
    marker.on('click', () => emit('section:open', { id: p.id }));
    layer.addLayer(marker);
  }
  emit('sections:loaded', data);
}

export function initSectionsLayer() {
  on('sections:changed', () => loadSections().catch(() => {}));
}
