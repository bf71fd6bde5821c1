// Until the workbench's screen list lands on main, the map page opens the water-quality screen
// in its side panel from the header button 水质断面 (staff; its forms are the office's).
import { h, isStaff, on, can } from '../state.js';
import { onLangChange } from '../i18n.js';
import { openPanel, setView, errorText } from '../panel.js';
import { render } from './screen.js';
import { wt } from './text.js';

function show() {
  const host = h('div', {}, h('p', { class: 'muted' }, '…'));
  openPanel(wt('screen.title'), host);
  return render(host).catch((err) => host.replaceChildren(h('p', { class: 'error' }, errorText(err))));
}

export function initWaterQualityEntry() {
  const button = document.getElementById('btn-wq');
  if (!button) return;
  const label = () => { button.textContent = wt('open'); };
  const toggle = () => { button.hidden = !(can('sections') && isStaff()); };
  label();
  toggle();
  onLangChange(label);
  on('auth:changed', toggle);
  button.addEventListener('click', () => setView(show));
}
