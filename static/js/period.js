// The period for coverage and problems: a year, a half-year, or custom days (Asia/Shanghai).
import { state, emit } from './state.js';

function localToday() {
  // The service counts days in Asia/Shanghai; so does the period picker.
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

function compute(kind, year, from, to) {
  if (kind === 'h1') return { from: `${year}-01-01`, to: `${year}-06-30`, year };
  if (kind === 'h2') return { from: `${year}-07-01`, to: `${year}-12-31`, year };
  if (kind === 'custom' && from && to && from <= to) return { from, to, year: Number(from.slice(0, 4)) };
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
    state.period = compute(kind.value, Number(yearSel.value), from.value, to.value);
    emit('period:changed', state.period);
  };
  for (const el of [kind, yearSel, from, to]) el.addEventListener('change', update);
  state.period = compute('year', thisYear);
  custom.hidden = true;
}

export { localToday };
