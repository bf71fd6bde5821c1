// Service worker: caches the app shell (page, scripts, styles, Leaflet) so the map opens
// without signal; API data is always fetched from the network (fresh or nothing), and
// recorded patrols wait in IndexedDB, not here.
const VERSION = 'riverchief-shell-v11';
const SHELL = [
  '/',
  '/static/css/app.css',
  '/static/vendor/leaflet/leaflet.js',
  '/static/vendor/leaflet/leaflet.css',
  '/static/manifest.webmanifest',
  '/static/icons/icon.svg',
  '/static/js/main.js', '/static/js/api.js', '/static/js/state.js', '/static/js/i18n.js', '/static/js/map.js',
  '/static/js/period.js', '/static/js/legend.js', '/static/js/panel.js', '/static/js/chart.js', '/static/js/auth.js',
  '/static/js/neighbor.js', '/static/js/upload.js', '/static/js/report.js', '/static/js/recorder.js',
  '/static/js/idb.js', '/static/js/todo.js',
  '/static/js/layers/areas.js', '/static/js/layers/rivers.js', '/static/js/layers/crossings.js', '/static/js/layers/tracks.js',
  '/static/js/panels/river.js', '/static/js/panels/problem.js', '/static/js/panels/county.js',
  '/static/js/reaches/index.js', '/static/js/reaches/layer.js', '/static/js/reaches/panel.js',
  '/static/js/reaches/screen.js', '/static/js/reaches/strings.js',
  '/static/js/layers/sections.js', '/static/js/water-quality/text.js', '/static/js/water-quality/chart.js',
  '/static/js/water-quality/panels.js', '/static/js/water-quality/screen.js', '/static/js/water-quality/entry.js',
  '/static/js/layers/tiles.js', // imported by main.js since the vector-tile map: offline needs it
  // The workbench (issue 15): its shell, shared modules and screens.
  '/static/css/wb.css', '/static/js/notifications.js', '/static/js/wb/shell.js', '/static/js/wb/screens.js',
  '/static/js/wb/table.js', '/static/js/wb/dialog.js', '/static/js/wb/text.js', '/static/js/wb/access.js',
  '/static/js/wb/search.js', '/static/js/wb/open.js', '/static/js/wb/problem-actions.js', '/static/js/wb/screens/todo.js', '/static/js/wb/screens/problems.js', '/static/js/wb/screens/registry.js',
  '/static/js/wb/screens/reaches.js', '/static/js/wb/screens/water-quality.js', '/static/js/wb/screens/notify-prefs.js',
  '/static/js/wb/screens/notify-outbox.js', '/static/js/wb/screens/notify-channels.js',
  '/static/js/wb/download.js', '/static/js/wb/text-staff.js', '/static/js/wb/screens/patrols.js',
  '/static/js/wb/screens/compliance.js', '/static/js/wb/screens/users.js', '/static/js/wb/screens/audit.js',
  '/static/js/wb/screens/exports.js',
  // Governance screens (issue 16).
  '/static/css/gov.css', '/static/js/wb/gov/ui.js', '/static/js/wb/gov/items.js', '/static/js/wb/screens/meetings.js',
  '/static/js/wb/screens/action-items.js', '/static/js/wb/screens/lists.js', '/static/js/wb/screens/yearly.js',
  '/static/js/wb/screens/health.js', '/static/js/wb/screens/inspections.js', '/static/js/wb/screens/duties.js',
  '/static/js/wb/screens/cooperation.js', '/static/js/wb/gov/health-layer.js',
  // The phone in the field (issue 17): bottom bar, recording view, notices, error texts, labels.
  '/static/css/field.css', '/static/js/field/phone.js', '/static/js/field/recording.js', '/static/js/field/notices.js',
  '/static/js/errors.js', '/static/js/layers/context.js',
  // 一河一档 and 公示牌 (issue 19).
  '/static/js/archive/text.js', '/static/js/wb/screens/archive.js', '/static/js/wb/screens/signboards.js',
];

// Public data for a first render without signal (the page's own first requests happen before
// this worker controls it, so they are fetched here once more). Failures do not block install.
const FIRST_DATA = ['/api/v1/map-config', '/api/v1/map/areas.geojson?zoom=8', '/api/v1/map/areas.geojson?zoom=10',
  '/api/v1/map/rivers.geojson?zoom=10', '/api/v1/segments.geojson', '/api/v1/rivers'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(VERSION)
    .then((c) => c.addAll(SHELL).then(() => Promise.all(FIRST_DATA.map((u) => c.add(u).catch(() => null)))))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== VERSION).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

// Public geometry the map needs to draw boundaries and rivers in a valley without signal.
const PUBLIC_DATA = ['/api/v1/map-config', '/api/v1/map/', '/api/v1/segments.geojson', '/api/v1/rivers'];

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  const shell = url.pathname === '/' || url.pathname.startsWith('/static/');
  const data = PUBLIC_DATA.some((p) => url.pathname === p || (p.endsWith('/') && url.pathname.startsWith(p)))
    && !event.request.headers.has('Authorization');
  if (!shell && !data) return; // other API calls: straight to the network, never cached
  // Network first so a new version shows at once; the cache when offline.
  event.respondWith(fetch(event.request).then((res) => {
    if (res.ok) { const copy = res.clone(); caches.open(VERSION).then((c) => c.put(event.request, copy)); }
    return res;
  }).catch(() => caches.match(event.request, { ignoreSearch: url.pathname === '/' || url.pathname.startsWith('/api/v1/map/') })
    .then((hit) => hit || Response.error())));
});
