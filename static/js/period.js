// The period for coverage and problems: a year, a half-year, or custom days (Asia/Shanghai).
import { state, emit } from './state.js';
import { t } from './i18n.js';

function localToday() {
  // The service counts days in Asia/Shanghai; so does the period picker.
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

// The service shows the public coverage of periods of at least 28 days only (one day's
// covered stretch would show where a chief walked that day): a shorter custom period is
// widened for visitors who are not signed in.
const PUBLIC_MIN_DAYS = 28;
const DAY_MS = 86400000;

function widened(from, to) {
  if (state.user) return to;
  const start = Date.parse(`${from}T00:00:00Z`);
  if ((Date.parse(`${to}T00:00:00Z`) - start) / DAY_MS + 1 >= PUBLIC_MIN_DAYS) return to;
  return new Date(start + (PUBLIC_MIN_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
}

function compute(kind, year, from, to) {
  if (kind === 'h1') return { from: `${year}-01-01`, to: `${year}-06-30`, year };
  if (kind === 'h2') return { from: `${year}-07-01`, to: `${year}-12-31`, year };
  if (kind === 'custom' && from && to && from <= to) {
    return { from, to: widened(from, to), year: Number(from.slice(0, 4)) };
  }
  return { from: `${year}-01-01`, to: `${year}-12-31`, year };
}

export function initPeriod() {
  const kind = document.getElementById('period-kind');
  const yearSel = document.getElementById('period-year');
  const custom = document.getElementById('period-custom');
  const from = document.getElementById('period-from');
  const to = document.getElementById('period-to');
  const thisYear = Number(localToday().slice(0, 4));
  for (let y = thisYear; y >= thisYear - 3; y -= 1) yearSel.append(new Option(String(y), String(y)));
  from.value = `${thisYear}-01-01`;
  to.value = localToday();
  const update = () => {
    custom.hidden = kind.value !== 'custom';
    yearSel.hidden = kind.value === 'custom';
    // An impossible custom range is refused in the form, not widened to the whole year.
    const reversed = kind.value === 'custom' && from.value && to.value && from.value > to.value;
    to.setCustomValidity(reversed ? t('period.reversed') : '');
    to.toggleAttribute('aria-invalid', Boolean(reversed));
    if (reversed) { to.reportValidity(); return; }
    state.period = compute(kind.value, Number(yearSel.value), from.value, to.value);
    emit('period:changed', state.period);
  };
  for (const el of [kind, yearSel, from, to]) el.addEventListener('change', update);
  state.period = compute('year', thisYear);
  custom.hidden = true;
}

export { localToday };
