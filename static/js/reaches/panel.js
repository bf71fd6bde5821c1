// The chain of responsibility at a clicked point (GET /api/v1/responsibility): for each level
// from city down to village, the reach holding the point and its chiefs on the chosen day.
import { api, qs } from '../api.js';
import { h, emit, on } from '../state.js';
import { openPanel, loading, errorText, facts, section, setView } from '../panel.js';
import { localToday } from '../period.js';
import { tr } from './strings.js';

function chiefLine(c) {
  return h('li', { class: 'chief' }, c.name, c.title ? ` · ${c.title}` : '');
}

function levelBlock(e) {
  const place = [e.admin_name, e.village_name].filter(Boolean).join(' ');
  const bank = e.bank ? ` · ${tr(`bank.${e.bank}`)}` : '';
  return section(`${tr(`level.${e.level}`)} · ${e.name}`,
    h('p', { class: 'muted' }, `${e.code} · ${place}${bank} · ${e.length_km.toFixed(1)} km`),
    e.chiefs.length ? h('ul', { class: 'plain chiefs', 'data-level': e.level }, e.chiefs.map(chiefLine))
      : h('p', { class: 'muted' }, tr('chain.nochief')),
    e.liaison_units?.length ? h('p', {}, `${tr('chain.units')}：${e.liaison_units.map((u) => u.name).join('、')}`) : '');
}

export async function showChain(lon, lat, onDate) {
  const day = onDate || localToday();
  loading(tr('chain.title'));
  let body;
  try {
    body = await api(`/api/v1/responsibility${qs({ lon: lon.toFixed(6), lat: lat.toFixed(6), on: day })}`, { auth: false });
  } catch (err) {
    openPanel(tr('chain.title'), h('p', { class: 'error' }, errorText(err)));
    return;
  }
  const dateInput = h('input', { type: 'date', value: day, 'aria-label': tr('chain.on') });
  dateInput.addEventListener('change', () => setView(() => showChain(lon, lat, dateInput.value)));
  const r = body.river;
  const where = r ? tr('chain.where.v', { d: Math.round(r.distance_m), side: tr(r.side ? `side.${r.side}` : 'side.none'), m: (r.measure_m / 1000).toFixed(2) }) : tr('chain.none');
  openPanel(tr('chain.title'),
    facts([
      [tr('chain.on'), dateInput],
      [tr('chain.river'), r ? h('a', { href: `#river-${r.id}`, onclick: (e) => { e.preventDefault(); emit('river:open', { id: r.id }); } }, r.name) : '—'],
      [tr('chain.where'), `${body.county_name} · ${where}`],
    ]),
    r && r.positional_accuracy_m >= 1000 ? h('p', { class: 'warn' }, tr('chain.coarse', { t: Math.round(r.tolerance_m) })) : '',
    h('div', { class: 'chain', 'data-levels': body.levels.map((e) => e.level).join(',') }, body.levels.map(levelBlock)));
}

export function initChainPanel() {
  on('chain:open', ({ lon, lat }) => setView(() => showChain(lon, lat)));
}
