// /notifications: the notification screens on a page of their own, until the workbench
// (issue 15) lists them among its screens (static/js/notifications.js exports SCREENS).
// Same tab as the map page, so the same sign-in (the token in sessionStorage).
import { api, getToken } from './api.js';
import { h, state } from './state.js';
import { SCREENS, mayUse, tx } from './notifications.js';

const main = () => document.getElementById('notify-main');

async function show() {
  const screens = SCREENS.filter((s) => mayUse(s.permission));
  const wanted = location.hash.slice(1).split('?')[0];
  const screen = screens.find((s) => s.id === wanted) || screens[0];
  for (const a of document.querySelectorAll('#notify-nav [data-screen]')) {
    a.classList.toggle('active', a.dataset.screen === screen.id);
    if (a.dataset.screen === screen.id) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  // A fresh box per visit: a late answer for the screen left behind lands in a detached box.
  const box = h('div', { 'data-screen': screen.id });
  main().replaceChildren(box);
  try { await screen.render(box); } catch (err) { box.replaceChildren(h('p', { class: 'error' }, err.message)); }
  document.body.dataset.ready = '1';
}

async function boot() {
  document.getElementById('notify-back').textContent = tx('back');
  if (!getToken()) {
    main().replaceChildren(h('p', {}, tx('signin')), h('a', { href: '/' }, tx('back')));
    document.body.dataset.ready = '1';
    return;
  }
  [state.user, state.config] = await Promise.all([
    api('/api/v1/auth/me'),
    api('/api/v1/map-config', { auth: false }).catch(() => null),
  ]);
  const nav = document.getElementById('notify-nav');
  for (const s of SCREENS.filter((x) => mayUse(x.permission)).reverse()) {
    nav.prepend(h('a', { href: `#${s.id}`, 'data-screen': s.id }, s.label()));
  }
  window.addEventListener('hashchange', show);
  await show();
}

boot().catch((err) => {
  main().replaceChildren(h('p', { class: 'error' }, err.message));
  document.body.dataset.ready = '1';
});
