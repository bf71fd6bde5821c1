// Boot: config, map, layers, panels and forms; every module talks through state.js events.
import { api } from './api.js';
import { state, on, can, mayUpload, mayReport, toast } from './state.js';
import { applyI18n, setLang, getLang, t, onLangChange } from './i18n.js';
import { createMap } from './map.js';
import { initPeriod } from './period.js';
import { addLegend } from './legend.js';
import { initPanel, rerender } from './panel.js';
import { initAreas } from './layers/areas.js';
import { loadContextRivers, loadSegments, loadCoverage } from './layers/rivers.js';
import { loadCrossings } from './layers/crossings.js';
import { initTracks } from './layers/tracks.js';
import { initProblems, loadProblems } from './panels/problem.js';
import { initRiverPanel } from './panels/river.js';
import { initCountyPanel } from './panels/county.js';
import { initAuth } from './auth.js';
import { initNeighbor } from './neighbor.js';
import { initUpload } from './upload.js';
import { initReport } from './report.js';
import { initRecorder } from './recorder.js';
import { initTodo } from './todo.js';
import { initReaches } from './reaches/index.js';
import { loadSections, initSectionsLayer } from './layers/sections.js';
import { initSectionPanel } from './water-quality/panels.js';
import { initWaterQualityEntry } from './water-quality/entry.js';

function showStaffControls() {
  const show = (id, yes) => { document.getElementById(id).hidden = !yes; };
  show('btn-upload', can('patrols') && mayUpload());
  show('btn-record', can('patrols') && mayUpload());
  show('btn-report', can('problems') && mayReport());
  show('btn-todo', can('todo') && Boolean(state.user));
  // Citizens report without an account on the public page (issue 10).
  show('link-report', can('public_reports') && !state.user);
  // Notification settings, outbox and channels (issue 21): static/js/notifications.js.
  show('link-notify', Boolean(state.user));
}

function report(label) {
  return (err) => { console.warn(label, err); toast(t('common.error', { msg: `${label}: ${err.message}` })); };
}

async function boot() {
  applyI18n();
  document.getElementById('btn-lang').addEventListener('click', () => setLang(getLang() === 'en' ? 'zh-CN' : 'en'));
  const langButton = () => {
    const b = document.getElementById('btn-lang');
    b.textContent = getLang() === 'en' ? '中文' : 'English';
    b.lang = getLang() === 'en' ? 'zh-CN' : 'en';
    document.getElementById('notice-text').textContent = state.config?.data_notice?.[getLang()] ?? '';
  };
  onLangChange(() => { langButton(); rerender(); });
  // Config and who is signed in are independent: ask for both at once.
  [state.config] = await Promise.all([api('/api/v1/map-config', { auth: false }), initAuth()]);
  langButton();
  if (state.config.warning) console.warn(state.config.warning);
  const map = createMap(state.config);
  state.layerControl = window.L.control.layers(null, {}, { collapsed: true, position: 'topright' }).addTo(map);
  initPeriod();
  initPanel();
  initProblems();
  initRiverPanel();
  initCountyPanel();
  addLegend(map);
  // Every layer at once: panes keep the drawing order, whatever arrives first.
  const [, , , rivers] = await Promise.all([
    initAreas(), loadContextRivers(), loadSegments(),
    api('/api/v1/rivers', { auth: false }).catch(() => []),
    loadCoverage().catch(report('coverage')),
    loadProblems().catch(report('problems')),
    loadCrossings().catch(report('crossings')),
    loadSections().catch(report('sections')),
  ]);
  state.rivers = rivers;
  document.body.dataset.ready = '1';
  performance.mark('riverchief-ready');
  showStaffControls();
  initTracks();
  initNeighbor();
  initUpload();
  initReport();
  initRecorder();
  initTodo();
  initReaches();
  initSectionsLayer();
  initSectionPanel();
  initWaterQualityEntry();
  // The staff workbench (issue 15), loaded beside the map: a failure there leaves the map working.
  import('./wb/shell.js').then((wb) => wb.initShell()).catch(report('workbench'));
  on('period:changed', () => {
    loadCoverage().catch(report('coverage'));
    loadProblems().catch(report('problems'));
  });
  on('auth:changed', () => {
    showStaffControls();
    // What a role may see differs (problem fields, tracks): reload those layers.
    loadProblems().catch(report('problems'));
  });
  if ('serviceWorker' in navigator) {
    // Caches the app shell so the page opens in a valley without signal (installable PWA).
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((err) => console.warn('service worker', err));
  }
}

boot().catch((err) => {
  console.error(err);
  toast(t('common.error', { msg: err.message }), 60000);
});
