// Staff sign-in: OAuth2 password flow against /api/v1/auth/token; the token lives in
// sessionStorage. The public (no token) sees public layers only.
import { api, setToken, getToken, ApiError } from './api.js';
import { state, emit } from './state.js';
import { t, onLangChange } from './i18n.js';

function renderButton() {
  const btn = document.getElementById('btn-login');
  btn.textContent = state.user ? `${t('auth.signout')} · ${state.user.username}` : t('auth.signin');
  btn.title = state.user ? t('auth.as', { user: state.user.username, role: t(`role.${state.user.role}`) }) : '';
}

const USER_KEY = 'riverchief.user';

async function loadMe() {
  if (!getToken()) { state.user = null; sessionStorage.removeItem(USER_KEY); return; }
  try {
    state.user = await api('/api/v1/auth/me');
    sessionStorage.setItem(USER_KEY, JSON.stringify(state.user));
  } catch (err) {
    if (err instanceof ApiError) { setToken(null); state.user = null; sessionStorage.removeItem(USER_KEY); return; }
    // Offline: stay signed in as before, so a patrol can still be recorded and sent later.
    state.user = JSON.parse(sessionStorage.getItem(USER_KEY) || 'null');
  }
}

export async function signIn(username, password) {
  const form = new URLSearchParams({ username, password });
  const res = await fetch('/api/v1/auth/token', { method: 'POST', body: form });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.detail || res.statusText);
  setToken(data.access_token);
  await loadMe();
  renderButton();
  emit('auth:changed', state.user);
}

export function signOut() {
  setToken(null);
  sessionStorage.removeItem(USER_KEY);
  state.user = null;
  renderButton();
  emit('auth:changed', null);
}

export async function initAuth() {
  const dlg = document.getElementById('dlg-login');
  const form = document.getElementById('form-login');
  const err = document.getElementById('login-error');
  document.getElementById('btn-login').addEventListener('click', () => {
    if (state.user) { signOut(); return; }
    err.hidden = true;
    dlg.showModal();
  });
  dlg.querySelector('.cancel').addEventListener('click', () => dlg.close());
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    try {
      await signIn(String(data.get('username')), String(data.get('password')));
      form.reset();
      dlg.close();
    } catch (ex) {
      err.textContent = t('auth.failed', { msg: ex.message });
      err.hidden = false;
    }
  });
  onLangChange(renderButton);
  await loadMe();
  renderButton();
}
