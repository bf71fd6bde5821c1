// Click a county: its rivers (with coverage in the period) and its problems.
import { h, on, emit, state } from '../state.js';
import { t, pct } from '../i18n.js';
import { openPanel, section, setView } from '../panel.js';
import { segmentsData, coverageByRiver } from '../layers/rivers.js';
import { fetchProblems, problemItem } from './problem.js';

async function showCounty(p) {
  const rivers = new Map();
  for (const f of segmentsData()?.features ?? []) {
    const s = f.properties;
    if (s.county_code !== p.code) continue;
    const r = rivers.get(s.river_id) ?? { id: s.river_id, name: s.river_name, km: 0 };
    r.km += s.length_km;
    rivers.set(s.river_id, r);
  }
  const list = [...rivers.values()].sort((a, b) => b.km - a.km);
  let problems = [];
  try { problems = await fetchProblems({ county: p.code, from: state.period.from, to: state.period.to }); } catch { /* shown as none */ }
  openPanel(p.name,
    section(`${t('county.rivers')} (${list.length})`, list.length ? h('ul', { class: 'plain' }, list.map((r) => h('li', {},
      h('a', { href: `#river-${r.id}`, onclick: (e) => { e.preventDefault(); emit('river:open', { id: r.id }); } }, r.name),
      ` · ${r.km.toFixed(1)} km`, coverageByRiver.has(r.id) ? ` · ${pct(coverageByRiver.get(r.id).coverage)}` : ''))) : h('p', { class: 'muted' }, t('common.none'))),
    section(`${t('county.problems')} ${state.period.from} – ${state.period.to} (${problems.length})`, problems.length
      ? h('ul', { class: 'plain' }, problems.slice(0, 50).map(problemItem)) : h('p', { class: 'muted' }, t('common.none'))));
}

export function initCountyPanel() {
  on('county:open', (p) => setView(() => showCounty(p)));
}
