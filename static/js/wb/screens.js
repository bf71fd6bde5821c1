// The workbench's screens (issue 15): every static/js/wb/screens/*.js, in navigation order.
//
// Screen contract (HELPERS.md, issues 15/16/19): a module static/js/wb/screens/<id>.js exporting
//   SCREEN = { id, label: () => text, permission: '<perm in service/auth/matrix.py>',
//              group?: 'daily'|'problems'|'patrols'|'governance'|'data'|'admin'|'notify',
//              capability?: '<map-config capability the screen needs>',
//              roles?: ['office', ...] }        // optional narrowing beyond the permission
//   render(host, params)                        // draws the screen into ``host``; may be async
// The shell lists a screen for a signed-in account whose role holds ``permission`` (the role
// matrix arrives with /api/v1/map-config) and opens it at /#wb-<id> (params after '?').
//
// Add a screen: import its module here and append it to SCREENS. A module without SCREEN
// (written before the shell existed) gets its metadata from the second argument of entry().
import * as todo from './screens/todo.js';
import * as problems from './screens/problems.js';
import * as reaches from './screens/reaches.js';
import * as waterQuality from './screens/water-quality.js';
import * as archive from './screens/archive.js';
import * as signboards from './screens/signboards.js';
import * as notifyPrefs from './screens/notify-prefs.js';
import * as notifyOutbox from './screens/notify-outbox.js';
import * as notifyChannels from './screens/notify-channels.js';
import * as meetings from './screens/meetings.js';
import * as actionItems from './screens/action-items.js';
import * as lists from './screens/lists.js';
import * as yearly from './screens/yearly.js';
import * as health from './screens/health.js';
import * as inspections from './screens/inspections.js';
import * as duties from './screens/duties.js';
import * as cooperation from './screens/cooperation.js';
import { tx } from '../notifications.js';
import { wt as wqText } from '../water-quality/text.js';

function entry(module, fallback = {}) {
  const meta = { ...fallback, ...(module.SCREEN || {}) };
  if (!meta.id || !meta.permission || typeof module.render !== 'function') {
    throw new Error(`workbench screen ${meta.id ?? '?'}: SCREEN {id, permission} and render() required`);
  }
  return { group: 'other', ...meta, render: module.render };
}

export const SCREENS = [
  entry(todo),
  entry(problems),
  // Governance (issue 16): meetings, decided items, lists, assessments, duties, cooperation.
  entry(meetings), entry(actionItems), entry(lists), entry(yearly),
  entry(health), entry(inspections), entry(duties), entry(cooperation),
  entry(reaches, { group: 'data' }),
  entry(waterQuality, { id: 'water-quality', label: () => wqText('screen.title'), permission: 'sections.read', capability: 'sections', group: 'data' }),
  entry(archive),
  entry(signboards),
  entry(notifyPrefs, { id: 'notify-prefs', label: () => tx('prefs'), permission: 'notifications.preferences', group: 'notify' }),
  entry(notifyOutbox, { id: 'notify-outbox', label: () => tx('outbox'), permission: 'notifications.outbox', group: 'notify' }),
  entry(notifyChannels, { id: 'notify-channels', label: () => tx('channels'), permission: 'notifications.channels', group: 'notify' }),
];

/** Navigation groups in display order. */
export const GROUPS = ['daily', 'problems', 'patrols', 'governance', 'data', 'admin', 'notify', 'other'];
