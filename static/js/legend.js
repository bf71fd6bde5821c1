// The legend: coverage colours, problem states, crossings; text follows the language.
import { t, onLangChange } from './i18n.js';
import { can } from './state.js';
import { COLOURS } from './layers/rivers.js';

const L = window.L;

function swatch(cls, colour) {
  const s = document.createElement('span');
  s.className = `sw ${cls}`;
  if (colour) s.style.background = colour; // CSSOM, not an inline style attribute (CSP-safe)
  return s;
}

function row(sw, text) {
  const div = document.createElement('div');
  div.append(sw, document.createTextNode(text));
  return div;
}

export function addLegend(map) {
  const control = L.control({ position: 'bottomleft' });
  let el;
  const render = () => {
    el.replaceChildren();
    const title = document.createElement('strong');
    title.textContent = t('legend.title');
    el.append(title);
    if (can('coverage_segments')) {
      el.append(row(swatch('line', COLOURS.covered), t('legend.covered')), row(swatch('line', COLOURS.uncovered), t('legend.uncovered')));
    } else {
      el.append(row(swatch('line', COLOURS.nodata), t('legend.nodata')));
    }
    if (can('problems_geojson')) {
      const p = document.createElement('strong');
      p.textContent = t('legend.problems');
      el.append(p, row(swatch('dot open'), t('legend.open')), row(swatch('dot overdue'), t('legend.overdue')),
        row(swatch('dot closed'), t('legend.closed')));
    }
    if (can('cross_boundary')) el.append(row(swatch('diamond'), t('legend.crossing')));
  };
  control.onAdd = () => {
    el = L.DomUtil.create('div', 'legend');
    L.DomEvent.disableClickPropagation(el);
    render();
    return el;
  };
  control.addTo(map);
  onLangChange(render);
  return control;
}
