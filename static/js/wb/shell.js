// The workbench shell (issue 15): for a signed-in account, navigation by task next to the map
// and a workspace where one screen at a time is drawn; 我的待办 is the start page.
//
// API
//   import { initShell, openScreen, closeWorkspace, visibleScreens } from '/static/js/wb/shell.js';
//   initShell()                     // once, after the map is ready (main.js)
//   openScreen('problems', { id: 12 })   // draws SCREEN 'problems' with params; address #wb-problems?id=12
//   closeWorkspace()                // back to the full map
//   visibleScreens()                // the SCREENS the signed-in role may open
//
// Addresses (shareable, also from the to-do's links):
//   #wb-<screen>[?k=v&…]   that screen          #problem-<id>    the problem's panel (+ problems table)
//   #neighbor-<code>       the neighbour view   #river-<id>      the river's panel
//   #patrols, #meeting-<id>, #action-item-<id>  the screen of issues 15/16 once it is listed
// The layout: [nav | workspace | map | panel]; body.wb-on while someone is signed in.
import { api, setToken } from '../api.js';
import { h, state, on, emit, toast } from '../state.js';
import { onLangChange } from '../i18n.js';
import { SCREENS, GROUPS } from './screens.js';
import { mayUse } from './access.js';
import { wt } from './text.js';
import { formDialog } from './dialog.js';
import { initSearch } from './search.js';
import { initProblemActions } from './problem-actions.js';

let nav = null;
let workspace = null;
let current = null; // { screen, params }

export function visibleScreens() {
  if (!state.user) return [];
  return SCREENS.filter((s) => mayUse(s.permission)
    && (!s.capability || state.config?.capabilities?.[s.capability])
    && (!s.roles || s.roles.includes(state.user.role)));
}

function resize() { setTimeout(() => state.map?.invalidateSize({ pan: false }), 0); }

function drawNav() {
  if (!nav) return;
  const list = h('div', { class: 'wb-navlist' });
  const screens = visibleScreens();
  for (const g of GROUPS) {
    const mine = screens.filter((s) => s.group === g);
    if (!mine.length) continue;
    list.append(h('div', { class: 'wb-group', role: 'group', 'aria-label': wt(`group.${g}`) },
      h('h2', { class: 'wb-group-title' }, wt(`group.${g}`)),
      // Links to the screens' addresses (navigation, not commands; no clash with the header's buttons).
      ...mine.map((s) => h('a', {
        href: `#wb-${s.id}`, class: 'wb-navbtn', 'data-screen': s.id,
        'aria-current': current?.screen.id === s.id ? 'page' : undefined,
        onclick: (e) => { e.preventDefault(); openScreen(s.id); },
      }, s.label()))));
  }
  // Pages outside the workbench that a role's permission opens (the public page's queue).
  if (mayUse('public.moderate')) {
    list.append(h('div', { class: 'wb-group', role: 'group', 'aria-label': wt('group.other') },
      h('a', { href: '/report#moderate', class: 'wb-navbtn' }, wt('moderate'))));
  }
  const account = h('div', { class: 'wb-group wb-account' },
    mayUse('auth.password') ? h('button', { type: 'button', class: 'wb-navbtn', onclick: changePassword }, wt('password')) : '');
  const mapBtn = h('button', { type: 'button', class: 'wb-navbtn wb-mapbtn', 'aria-pressed': current ? 'false' : 'true', onclick: () => closeWorkspace() }, wt('nav.map'));
  nav.replaceChildren(nav.querySelector('.wb-search') || '', mapBtn, list, account);
  nav.setAttribute('aria-label', wt('nav'));
}

/** 修改密码: POST /api/v1/auth/password; the answer's fresh token replaces this tab's one
 * (every token issued before stops working). */
async function changePassword() {
  await formDialog({
    title: wt('password'),
    fields: [
      { name: 'current', label: wt('password.current'), type: 'password', required: true, autocomplete: 'current-password' },
      { name: 'next', label: wt('password.new'), type: 'password', required: true, autocomplete: 'new-password' },
      { name: 'again', label: wt('password.again'), type: 'password', required: true, autocomplete: 'new-password' },
    ],
    validate: (v) => (v.next !== v.again ? wt('password.mismatch') : null),
    submit: async (v) => {
      const res = await api('/api/v1/auth/password', { method: 'POST', json: { current_password: v.current, new_password: v.next } });
      setToken(res.access_token);
    },
  }).then((v) => { if (v) toast(wt('password.done')); });
}

function params(str) { return Object.fromEntries(new URLSearchParams(str || '')); }

/** Draw screen ``id`` into the workspace; the address becomes #wb-<id>[?params]. */
export async function openScreen(id, p = {}, { push = true } = {}) {
  const screen = visibleScreens().find((s) => s.id === id);
  if (!screen || !workspace) {
    toast(wt('error', { msg: id }));
    return null;
  }
  current = { screen, params: p };
  if (push) {
    const q = new URLSearchParams(Object.entries(p).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString();
    history.pushState(null, '', `#wb-${id}${q ? `?${q}` : ''}`);
  }
  const title = h('h2', { id: 'wb-ws-title', class: 'wb-ws-title' }, screen.label());
  const host = h('div', { class: `wb-screen wb-screen-${id}`, 'data-screen': id }, h('p', { class: 'muted' }, wt('loading')));
  workspace.replaceChildren(
    h('div', { class: 'wb-ws-head' }, title,
      h('button', { type: 'button', class: 'wb-ws-close', 'aria-label': wt('ws.close'), onclick: () => closeWorkspace() }, '×')),
    host);
  workspace.hidden = false;
  document.body.classList.add('wb-ws-open');
  drawNav();
  resize();
  try {
    host.replaceChildren();
    await screen.render(host, p);
  } catch (err) {
    console.warn('screen', id, err);
    host.replaceChildren(h('p', { class: 'error', role: 'alert' }, wt('error', { msg: err.message })));
  }
  emit('wb:screen', { id, params: p, host });
  return host;
}

export function closeWorkspace() {
  current = null;
  if (workspace) { workspace.hidden = true; workspace.replaceChildren(); }
  document.body.classList.remove('wb-ws-open');
  if (location.hash.startsWith('#wb-')) history.pushState(null, '', location.pathname + location.search);
  drawNav();
  resize();
}

/** The screen for an address of the to-do or a shared link, if this role has it. */
function route(hash) {
  const raw = hash.replace(/^#/, '');
  if (!raw) return false;
  const [path, query] = raw.split('?');
  let m = /^wb-([\w-]+)$/.exec(path);
  if (m) return state.user ? openScreen(m[1], params(query), { push: false }) : false;
  m = /^problem-(\d+)$/.exec(path);
  if (m) { emit('problem:open', { id: Number(m[1]) }); return true; }
  m = /^river-(\d+)$/.exec(path);
  if (m) { emit('river:open', { id: Number(m[1]) }); return true; }
  m = /^neighbor-(\d{6})$/.exec(path);
  if (m) {
    const sel = document.getElementById('neighbor-select');
    if (sel && [...sel.options].some((o) => o.value === m[1])) {
      sel.value = m[1];
      sel.dispatchEvent(new Event('change'));
      return true;
    }
    toast(wt('error', { msg: `#${path}` }));
    return false;
  }
  // The to-do's links to screens: #patrols, #meeting-3, #action-item-7 (issues 15 and 16).
  m = /^([a-z]+(?:-[a-z]+)*?)(?:-(\d+))?$/.exec(path);
  if (m && state.user) {
    const screen = visibleScreens().find((s) => s.id === m[1] || s.id === `${m[1]}s`);
    if (screen) return openScreen(screen.id, m[2] ? { id: m[2] } : {}, { push: false });
  }
  return false;
}

function onAuth() {
  const signedIn = Boolean(state.user);
  document.body.classList.toggle('wb-on', signedIn);
  nav.hidden = !signedIn;
  if (!signedIn) { closeWorkspace(); return; }
  drawNav();
  // The start page: 我的待办, unless the address names something else.
  if (!location.hash || location.hash === '#' || !route(location.hash)) {
    openScreen('todo', {}, { push: false });
    // A neighbour city's viewer works in its own city's view (and its brief).
    if (state.user.role === 'neighbor_viewer' && state.user.neighbor_code) route(`#neighbor-${state.user.neighbor_code}`);
  }
  resize();
}

export function initShell() {
  const layout = document.querySelector('main.layout');
  nav = h('nav', { id: 'wb-nav', class: 'wb-nav', 'aria-label': wt('nav'), hidden: true });
  workspace = h('section', { id: 'wb-workspace', class: 'wb-workspace', 'aria-labelledby': 'wb-ws-title', hidden: true });
  nav.append(initSearch());
  layout.prepend(nav, workspace);
  window.addEventListener('hashchange', () => route(location.hash));
  window.addEventListener('popstate', () => {
    if (!location.hash && current) closeWorkspace();
    else if (location.hash.startsWith('#wb-')) route(location.hash);
  });
  on('auth:changed', onAuth);
  // A to-do item or a screen asks to show what an address names.
  on('wb:go', (hash) => {
    if (location.hash !== hash) history.pushState(null, '', hash);
    if (!route(hash)) toast(wt('todo.pending', { link: hash }));
  });
  onLangChange(() => {
    drawNav();
    if (current) openScreen(current.screen.id, current.params, { push: false });
  });
  initProblemActions();
  if (state.user) onAuth();
  else if (location.hash) route(location.hash);
  document.body.dataset.wb = '1';
}
