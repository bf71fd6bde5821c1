// The reaches part of the map page: the layer of reaches by level, the chain of
// responsibility on a click, and (for the office) the 河段管理 screen. Until the workbench
// lists screens, a header button opens the screen in the side panel.
import { state, h, on, can } from '../state.js';
import { openPanel, setView } from '../panel.js';
import { initReachLayer } from './layer.js';
import { initChainPanel } from './panel.js';
import { render } from './screen.js';
import { tr } from './strings.js';

function showScreen() {
  const host = h('div', { class: 'reach-screen' });
  openPanel(tr('screen.title'), host);
  return render(host);
}

export function initReaches() {
  initReachLayer();
  initChainPanel();
  if (!can('reach_cut')) return;
  const button = h('button', { type: 'button', id: 'btn-reaches', class: 'staff', hidden: true }, tr('screen.open'));
  button.addEventListener('click', () => setView(showScreen));
  document.getElementById('btn-login').before(button);
  const toggle = () => {
    button.hidden = state.user?.role !== 'office';
    button.textContent = tr('screen.open');
  };
  on('auth:changed', toggle);
  toggle();
}
