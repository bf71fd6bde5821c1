// The side panel (a bottom sheet on phones): one view at a time, replaced on each click.
import { h, state } from './state.js';
import { t } from './i18n.js';
import { messageOf } from './errors.js';

const panel = () => document.getElementById('panel');
let current = null; // { render } of the open view, re-run when the language changes

export function openPanel(title, ...content) {
  const body = document.getElementById('panel-body');
  body.replaceChildren(h('h2', { class: 'panel-title' }, title), ...content);
  const wasHidden = panel().hidden;
  panel().hidden = false;
  document.body.classList.add('panel-open');
  body.scrollTop = 0;
  // The map got narrower (desktop): let Leaflet measure again so clicks land where drawn.
  if (wasHidden) state.map?.invalidateSize({ pan: false });
}

export function closePanel() {
  panel().hidden = true;
  document.body.classList.remove('panel-open');
  current = null;
  state.map?.invalidateSize({ pan: false });
}

export function setView(render) { current = render; return render(); }
export function rerender() { if (current && !panel().hidden) current(); }

export function loading(title) { openPanel(title, h('p', { class: 'muted' }, t('common.loading'))); }

/** An error as users read it: the server's code in their language (static/js/errors.js). */
export function errorText(err) {
  return t('common.error', { msg: messageOf(err) });
}

/** A definition list from [label, value] pairs, skipping empty values. */
export function facts(pairs) {
  const dl = h('dl', { class: 'facts' });
  for (const [label, value] of pairs) {
    if (value === undefined || value === null || value === '') continue;
    dl.append(h('dt', {}, label), h('dd', {}, value));
  }
  return dl;
}

export function section(title, ...content) {
  return h('section', { class: 'sub' }, h('h3', {}, title), ...content);
}

export function initPanel() {
  document.getElementById('panel-close').addEventListener('click', closePanel);
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape') closePanel(); });
}
