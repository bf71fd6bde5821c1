// Lines the page owes its users (issue 17): a spinner while the map's layers load, 离线 and
// what still works when the network is gone, that recording needs HTTPS when the page is
// not in a secure context, and (staff) how to get a basemap when none is configured.
import { state, on, isStaff, mayUpload, h } from '../state.js';
import { getLang, onLangChange } from '../i18n.js';

const WORDS = {
  'zh-CN': {
    loading: '地图加载中…',
    offline: '离线',
    offlineWhat: '网络已断开：已打开的地图和图层仍可查看，可以继续记录巡河（保存在本机，恢复网络后自动上传）；上传、举报、统计和新的查询需要网络。',
    insecure: '此页面不是通过 HTTPS 打开：手机无法在此记录巡河（定位、屏幕常亮和离线功能只在安全连接下可用）。请使用 https:// 地址。',
  },
  en: {
    loading: 'Loading the map…',
    offline: 'Offline',
    offlineWhat: 'No network: the map and layers already open still work, and patrols can still be recorded (kept on this device, uploaded when back online); uploads, reports, statistics and new queries need the network.',
    insecure: 'This page is not served over HTTPS: a phone cannot record patrols here (geolocation, keeping the screen awake and offline use need a secure connection). Use the https:// address.',
  },
};

function w(key) { return (WORDS[getLang()] ?? WORDS['zh-CN'])[key]; }

let box = null;

function line(id, cls, text, extra) {
  let el = document.getElementById(id);
  if (!text) { el?.remove(); return; }
  if (!el) {
    el = h('p', { id, class: `notice-line ${cls}`, role: cls === 'offline' ? 'alert' : 'note' });
    box.append(el);
  }
  el.replaceChildren(...(extra ? [h('strong', {}, extra), ' '] : []), text);
}

function render() {
  const ready = document.body.dataset.ready === '1';
  line('notice-offline', 'offline', navigator.onLine ? '' : w('offlineWhat'), w('offline'));
  document.body.classList.toggle('is-offline', !navigator.onLine);
  const recorder = ready && state.user && mayUpload();
  line('notice-insecure', 'insecure', recorder && !window.isSecureContext ? w('insecure') : '');
  const hint = ready && isStaff() ? state.config?.basemap_hint?.[getLang()] ?? state.config?.basemap_hint?.['zh-CN'] : '';
  line('notice-basemap', 'basemap', hint || '');
}

function loading() {
  const map = document.getElementById('map');
  if (document.body.dataset.ready === '1') { document.getElementById('map-loading')?.remove(); return; }
  if (!document.getElementById('map-loading')) {
    map.append(h('div', { id: 'map-loading', class: 'map-loading', role: 'status', 'aria-live': 'polite' },
      h('span', { class: 'spinner', 'aria-hidden': 'true' }), w('loading')));
  }
}

export function initNotices() {
  box = h('div', { id: 'notices', class: 'notices' });
  document.querySelector('main.layout').before(box);
  loading();
  new MutationObserver(() => { loading(); render(); })
    .observe(document.body, { attributes: true, attributeFilter: ['data-ready'] });
  window.addEventListener('online', render);
  window.addEventListener('offline', render);
  on('auth:changed', render);
  onLangChange(render);
  render();
}
