// Problem report: tap the map or use the phone's position, category, description, photo.
import { api } from './api.js';
import { state, h, toast, on } from './state.js';
import { errorText } from './panel.js';
import { t } from './i18n.js';
import { loadProblems } from './panels/problem.js';

const L = window.L;
const CATEGORIES = ['sand_mining', 'garbage', 'sewage_outfall', 'illegal_construction', 'illegal_fishing', 'water_quality', 'other'];
let position = null; // { lon, lat, datum }
let marker = null;

function setPosition(lon, lat) {
  position = { lon, lat, datum: 'wgs84' };
  document.getElementById('report-pos').textContent = `${lat.toFixed(5)}, ${lon.toFixed(5)}`;
  if (marker) marker.setLatLng([lat, lon]);
  else marker = L.circleMarker([lat, lon], { radius: 9, color: '#b00020', className: 'report-pin' }).addTo(state.map);
}

export function initReport() {
  const dlg = document.getElementById('dlg-report');
  const form = document.getElementById('form-report');
  const out = document.getElementById('report-result');
  const cat = document.getElementById('report-category');
  const fillCategories = () => {
    const v = cat.value;
    cat.replaceChildren(...CATEGORIES.map((c) => new Option(t(`cat.${c}`), c)));
    if (v) cat.value = v;
  };
  document.getElementById('btn-report').addEventListener('click', () => {
    fillCategories();
    out.hidden = true;
    dlg.showModal();
  });
  dlg.querySelector('.cancel').addEventListener('click', () => dlg.close());
  document.getElementById('report-geo').addEventListener('click', () => {
    navigator.geolocation.getCurrentPosition((p) => setPosition(p.coords.longitude, p.coords.latitude),
      (err) => toast(t('record.denied', { msg: err.message })), { enableHighAccuracy: true, timeout: 30000 });
  });
  document.getElementById('report-pick').addEventListener('click', () => {
    // Close the dialog so the map can be tapped; the next map click sets the position.
    dlg.close();
    toast(t('report.picking'));
    // Rivers and problems would catch the tap: let it through to the map while picking.
    state.map.getContainer().classList.add('picking');
    state.map.once('click', (e) => {
      state.map.getContainer().classList.remove('picking');
      setPosition(e.latlng.lng, e.latlng.lat);
      dlg.showModal();
    });
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    out.hidden = false;
    if (!position) { out.replaceChildren(h('p', { class: 'error' }, t('report.nopos'))); return; }
    const data = new FormData(form);
    try {
      const made = await api('/api/v1/problems', { method: 'POST', json: {
        ...position, category: data.get('category'), description: data.get('description'),
        observed_at: new Date().toISOString() } });
      const photo = data.get('photo');
      if (photo && photo.size) {
        const pf = new FormData();
        pf.set('file', photo);
        await api(`/api/v1/problems/${made.id}/photos`, { method: 'POST', form: pf });
      }
      const river = made.state === 'off_river' || !made.river_id ? t('report.offriver')
        : (state.rivers.find((r) => r.id === made.river_id)?.name ?? `#${made.river_id}`);
      out.replaceChildren(h('p', { class: 'ok' }, t('report.done', { id: made.id, river })));
      form.reset();
      loadProblems({ fresh: true }).catch(() => {});
    } catch (err) {
      out.replaceChildren(h('p', { class: 'error', role: 'alert' }, errorText(err)));
    }
  });
  on('auth:changed', () => dlg.open && dlg.close());
}
