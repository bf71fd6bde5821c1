// Phones (≤ 480 px, issue 17): the field actions sit in a bottom bar that never scrolls
// sideways; everything else (period, language, notifications, sign-out…) is in a menu at
// the top, away from the field actions. The buttons are moved, not copied: their ids,
// listeners and visibility stay those of the desktop toolbar.
import { getLang, onLangChange } from '../i18n.js';
import { state, on } from '../state.js';

const FIELD = ['btn-record', 'btn-upload', 'btn-report', 'btn-todo'];
const PHONE = '(max-width: 480px)';
const WORDS = {
  'zh-CN': { menu: '菜单', close: '收起菜单', bar: '巡河操作' },
  en: { menu: 'Menu', close: 'Close menu', bar: 'Field actions' },
};

function word(key) { return (WORDS[getLang()] ?? WORDS['zh-CN'])[key]; }

let bar = null;
let menuButton = null;
const homes = new Map(); // button id -> [parent, next sibling] on the desktop toolbar

function build() {
  bar = document.createElement('nav');
  bar.id = 'field-bar';
  bar.className = 'field-bar';
  bar.hidden = true;
  menuButton = document.createElement('button');
  menuButton.type = 'button';
  menuButton.id = 'btn-menu';
  menuButton.className = 'menu-toggle';
  menuButton.setAttribute('aria-expanded', 'false');
  menuButton.setAttribute('aria-controls', 'tools');
  menuButton.hidden = true;
  const tools = document.querySelector('header.bar .tools');
  tools.id ||= 'tools';
  tools.before(menuButton);
  document.body.append(bar);
  menuButton.addEventListener('click', () => setMenu(menuButton.getAttribute('aria-expanded') !== 'true'));
  // Choosing something in the menu closes it (a select keeps it open while in use).
  tools.addEventListener('click', (e) => {
    if (e.target.closest('button, a') && document.body.classList.contains('phone')) setMenu(false);
  });
  labels();
}

function labels() {
  bar.setAttribute('aria-label', word('bar'));
  const open = menuButton.getAttribute('aria-expanded') === 'true';
  menuButton.textContent = open ? `✕ ${word('menu')}` : `☰ ${word('menu')}`;
  menuButton.setAttribute('aria-label', open ? word('close') : word('menu'));
}

function setMenu(open) {
  menuButton.setAttribute('aria-expanded', String(open));
  document.body.classList.toggle('menu-open', open);
  labels();
}

/** Signed out, 登录 waits in the header; signed in, 退出 goes to the end of the menu. */
function placeLogin(phone) {
  const login = document.getElementById('btn-login');
  const tools = document.querySelector('header.bar .tools');
  if (phone && !state.user) menuButton.before(login);
  else if (login.parentElement !== tools) tools.append(login);
}

function apply(phone) {
  document.body.classList.toggle('phone', phone);
  bar.hidden = !phone;
  menuButton.hidden = !phone;
  if (!phone) setMenu(false);
  placeLogin(phone);
  for (const id of FIELD) {
    const btn = document.getElementById(id);
    if (!btn) continue;
    if (phone && btn.parentElement !== bar) {
      homes.set(id, [btn.parentElement, btn.nextSibling]);
      bar.append(btn);
    } else if (!phone && homes.has(id)) {
      const [parent, next] = homes.get(id);
      parent.insertBefore(btn, next && next.parentElement === parent ? next : null);
      homes.delete(id);
    }
  }
}

export function initPhoneLayout() {
  if (bar) return;
  build();
  const query = window.matchMedia(PHONE);
  apply(query.matches);
  query.addEventListener('change', (e) => apply(e.matches));
  onLangChange(labels);
  on('auth:changed', () => placeLogin(query.matches));
  // Signed in from an earlier visit: auth.js renders the button once it knows the user.
  new MutationObserver(() => placeLogin(query.matches))
    .observe(document.getElementById('btn-login'), { childList: true, characterData: true, subtree: true });
}
