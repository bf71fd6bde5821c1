// Until the workbench shell (issue 15) lists the governance screens, the map page opens them
// in its side panel: the header button 河长制工作 shows a menu of the screens the signed-in
// role may use, and the address #meeting-{id} opens that meeting with its minutes.
import { state, h, on } from '../../state.js';
import { openPanel, setView, errorText } from '../../panel.js';
import { onLangChange } from '../../i18n.js';
import { T, may } from './ui.js';

/** The governance screens, in menu order (each a workbench screen module). */
export const GOV_SCREENS = [
  'meetings', 'action-items', 'lists', 'yearly', 'health', 'inspections', 'duties', 'cooperation',
].map((id) => `/static/js/wb/screens/${id}.js`);

let modules = null;
async function load() {
  modules ||= await Promise.all(GOV_SCREENS.map((path) => import(path)));
  return modules;
}

/** Open the screen ``id`` with ``params`` in the side panel, under the governance menu. */
export async function openScreen(id, params = {}) {
  const mods = (await load()).filter((m) => may(m.SCREEN.permission));
  const current = mods.find((m) => m.SCREEN.id === id) ?? mods[0];
  if (!current) return;
  const host = h('div', { class: 'gov-screen', 'data-screen': current.SCREEN.id });
  const nav = h('nav', { class: 'gov-nav', 'aria-label': T('河长制工作', 'River chief work') },
    ...mods.map((m) => h('button', {
      type: 'button', 'aria-current': m === current ? 'page' : undefined,
      onclick: () => setView(() => openScreen(m.SCREEN.id)),
    }, m.SCREEN.label())));
  document.body.classList.add('gov-wide');
  openPanel(current.SCREEN.label(), nav, host);
  await current.render(host, params).catch((err) => host.replaceChildren(h('p', { class: 'error' }, errorText(err))));
}

function fromHash() {
  const m = /^#meeting-(\d+)$/.exec(location.hash);
  if (m && state.user && may('governance.read')) setView(() => openScreen('meetings', { meeting_id: Number(m[1]) }));
}

export function initGovernance() {
  const button = h('button', { type: 'button', id: 'btn-gov', class: 'staff', hidden: true });
  const label = () => { button.textContent = T('河长制工作', 'River chief work'); };
  const toggle = () => { button.hidden = !(may('governance.read') || may('agreements.read')); };
  button.addEventListener('click', () => setView(() => openScreen(may('governance.read') ? 'meetings' : 'cooperation')));
  document.getElementById('btn-login').before(button);
  label();
  toggle();
  onLangChange(label);
  on('auth:changed', () => { toggle(); fromHash(); });
  window.addEventListener('hashchange', fromHash);
  // The panel is wide while a governance screen shows; other views get the usual width.
  const observer = new MutationObserver(() => {
    if (!document.querySelector('#panel-body .gov-screen') || document.getElementById('panel').hidden) document.body.classList.remove('gov-wide');
  });
  observer.observe(document.getElementById('panel'), { attributes: true, childList: true, subtree: true });
  fromHash();
}
