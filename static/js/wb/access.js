// Who may use what, in the browser: the role matrix (service/auth/matrix.py) as /api/v1/map-config
// sends it ({permission: 'public' | [roles]}). The server decides; this only hides controls a
// role could not use.
//
// API
//   import { mayUse, role } from '/static/js/wb/access.js';
//   mayUse('problems.transition')   // true if the signed-in role (or the public) holds it
import { state } from '../state.js';

export function role() { return state.user?.role ?? null; }

/** True if the signed-in account's role (anonymous: public only) holds ``permission``. */
export function mayUse(permission) {
  const rule = state.config?.permissions?.[permission];
  if (rule === 'public') return true;
  return Array.isArray(rule) && Boolean(state.user) && rule.includes(state.user.role);
}
