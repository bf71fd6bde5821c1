// Shared page state and a tiny event bus: modules react to changes instead of calling each other.
export const state = {
  config: null,     // GET /api/v1/map-config
  user: null,       // GET /api/v1/auth/me, or null for the public
  period: null,     // { from, to, year } local days (YYYY-MM-DD)
  neighbor: null,   // neighbour city code in cross-boundary mode
  map: null,        // the Leaflet map
  rivers: [],       // GET /api/v1/rivers (chiefs today)
};

const handlers = {};
export function on(event, fn) { (handlers[event] ||= []).push(fn); }
export function emit(event, detail) { for (const fn of handlers[event] || []) fn(detail); }

export function can(capability) { return Boolean(state.config?.capabilities?.[capability]); }
export function isStaff() { return ['office', 'chief', 'liaison', 'county'].includes(state.user?.role); }
export function mayUpload() { return ['office', 'chief', 'liaison', 'patrol'].includes(state.user?.role); }
export function mayReport() { return ['office', 'chief', 'liaison', 'county', 'township', 'patrol'].includes(state.user?.role); }

/** Show a short message in the status line (and clear it after a while). */
export function toast(message, ms = 5000) {
  const el = document.getElementById('status');
  el.textContent = message;
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.hidden = true; }, ms);
}

/** Make an element with attributes and children (strings become text: no HTML injection). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}
