// Calls to the riverchief API with the signed-in staff token (kept in sessionStorage, so it
// ends with the browser tab and never reaches other sites).
const TOKEN_KEY = 'riverchief.token';

export function getToken() { return sessionStorage.getItem(TOKEN_KEY); }
export function setToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(status, message, body) { super(message); this.status = status; this.body = body; }
}

/** fetch() the API; JSON bodies are parsed, errors raise ApiError with the server's detail. */
export async function api(path, { method = 'GET', json, form, headers = {}, raw = false, auth = true } = {}) {
  const h = { Accept: 'application/json', ...headers };
  const token = getToken();
  // Public geometry goes without the token, so the service worker may cache it for offline use.
  if (token && auth) h.Authorization = `Bearer ${token}`;
  let body;
  if (json !== undefined) { h['Content-Type'] = 'application/json'; body = JSON.stringify(json); }
  else if (form !== undefined) body = form;
  const res = await fetch(path, { method, headers: h, body });
  if (raw) return res;
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = text; }
  if (!res.ok) {
    let msg = data && data.detail !== undefined ? data.detail : res.statusText;
    if (Array.isArray(msg)) msg = msg.map((d) => d.msg || JSON.stringify(d)).join('; ');
    throw new ApiError(res.status, String(msg), data);
  }
  return data;
}

/** Query string from an object, skipping empty values. */
export function qs(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
