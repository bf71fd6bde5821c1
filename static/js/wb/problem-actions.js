// The problem panel's workbench part (issue 15 item 1): the workflow actions the caller may
// take now (the server's ``allowed_actions``, named as service/problems/workflow.py names
// them), each asking for the fields it needs, and the problem's photos.
//
// API
//   import { initProblemActions, ACTIONS, runAction } from '/static/js/wb/problem-actions.js';
//   initProblemActions()   // once: adds actions and photos to every problem panel shown
//                          // (panels/problem.js emits 'problem:shown' {problem, refresh})
//   runAction(problem, 'assign')  // the action's form, then POST /problems/{id}/transitions;
//                                 // resolves with the updated problem, or null if cancelled
// After a change it emits 'problem:changed' (the problems table reloads) and redraws the map.
import { api, getToken } from '../api.js';
import { h, on, emit, state, toast } from '../state.js';
import { localTime } from '../i18n.js';
import { areasData } from '../layers/areas.js';
import { loadProblems } from '../panels/problem.js';
import { localToday } from '../period.js';
import { formDialog } from './dialog.js';
import { mayUse } from './access.js';
import { wt } from './text.js';

/** Workflow actions in the order the panel offers them. */
export const ACTIONS = ['assign', 'start', 'rectified', 'verify', 'reject', 'close', 'close_not_fixed', 'mark_duplicate', 'reopen'];
const CLOSED = new Set(['closed', 'closed_not_fixed', 'duplicate']);

export function actionLabel(action) { return wt(`a.${action}`); }

function counties() {
  return (areasData()?.features || []).map((f) => f.properties).filter((p) => p.role === 'focus_county')
    .map((p) => [p.code, p.name]).sort((a, b) => a[0].localeCompare(b[0]));
}

let units = null;
async function liaisonUnits() {
  if (!units) {
    const list = await api('/api/v1/liaison-units?limit=1000', { auth: false }).catch(() => []);
    units = list.map((u) => [u.id, u.name]);
  }
  return units;
}

function addDays(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The fields each action needs (workflow.py: assign needs an assignee, rectified/reject/
 * close_not_fixed a note, mark_duplicate the original), and how they become the body. */
async function form(action, p) {
  const note = (label, required = false) => ({ name: 'note', label, type: 'textarea', required, maxlength: 4000 });
  switch (action) {
    case 'assign': return {
      fields: [
        { name: 'county', label: wt('p.assign.county'), options: counties(), value: p.assignee_county ?? p.county_code ?? undefined },
        { name: 'unit', label: wt('p.assign.unit'), options: await liaisonUnits() },
        { name: 'due', label: wt('p.due.field'), type: 'date', required: true, min: localToday(), value: addDays(localToday(), 14) },
        note(wt('p.note')),
      ],
      validate: (v) => (!v.county === !v.unit ? `${wt('p.assign.county')} / ${wt('p.assign.unit')}` : null),
      body: (v) => ({ assignee_county: v.county || undefined, assignee_unit_id: v.unit ? Number(v.unit) : undefined, due_date: v.due, note: v.note || undefined }),
    };
    case 'rectified': return {
      fields: [note(wt('p.note.rectified'), true),
        { name: 'photos', label: wt('p.photos.field'), type: 'file', accept: 'image/jpeg,image/png', multiple: true }],
      body: (v) => ({ note: v.note }),
      photos: true,
    };
    case 'reject': case 'close_not_fixed': return { fields: [note(wt('p.note.reason'), true)], body: (v) => ({ note: v.note }) };
    case 'mark_duplicate': return {
      fields: [{ name: 'dup', label: wt('p.duplicate_of'), type: 'number', min: 1, step: 1, required: true }, note(wt('p.note'))],
      body: (v) => ({ duplicate_of: v.dup, note: v.note || undefined }),
    };
    default: return { fields: [note(wt('p.note'))], body: (v) => ({ note: v.note || undefined }) };
  }
}

async function uploadPhoto(problemId, file) {
  const body = new FormData();
  body.append('file', file);
  return api(`/api/v1/problems/${problemId}/photos`, { method: 'POST', form: body });
}

/** Ask for the action's fields and take it; the updated problem, or null if cancelled. */
export async function runAction(p, action) {
  const spec = await form(action, p);
  let updated = null;
  const values = await formDialog({
    title: `${actionLabel(action)} · #${p.id}`,
    fields: spec.fields,
    validate: spec.validate,
    submitLabel: wt('ok'),
    submit: async (v) => {
      // Evidence photos go up before 整改完成: the step takes the photos not yet attached.
      if (spec.photos) for (const file of v.photos || []) await uploadPhoto(p.id, file);
      updated = await api(`/api/v1/problems/${p.id}/transitions`, { method: 'POST', json: { action, ...spec.body(v) } });
    },
  });
  if (values === null) return null;
  toast(wt('p.done', { action: actionLabel(action), id: p.id }));
  emit('problem:changed', updated);
  loadProblems({ fresh: true }).catch(() => {});
  return updated;
}

async function blobUrl(path) {
  const token = getToken();
  const res = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new Error(res.statusText);
  return URL.createObjectURL(await res.blob());
}

/** Thumbnails (fetched with the token: an <img src> carries none), a click opens the photo. */
function photoBlock(p) {
  const list = p.photos || [];
  const box = h('div', { class: 'wb-photos' });
  for (const ph of list) {
    const img = h('img', { alt: `${wt('p.photo')} ${ph.id}${ph.kind === 'evidence' ? ` (${actionLabel('rectified')})` : ''}` });
    const open = h('button', { type: 'button', class: 'linklike', 'aria-label': `${wt('p.photo')} ${ph.id}` }, img);
    open.addEventListener('click', async () => {
      const w = window.open('', '_blank');
      try { const url = await blobUrl(ph.url); if (w) w.location.href = url; } catch (err) { w?.close(); toast(wt('error', { msg: err.message })); }
    });
    blobUrl(ph.thumbnail_url).then((url) => { img.src = url; }).catch(() => { img.alt += ' ✕'; });
    box.append(h('figure', {}, open, h('figcaption', {}, `${localTime(ph.uploaded_at)}${ph.kind === 'evidence' ? ` · ${actionLabel('rectified')}` : ''}`)));
  }
  return h('section', { class: 'sub wb-problem-photos', 'aria-label': wt('p.photos') }, h('h3', {}, `${wt('p.photos')} (${list.length})`),
    list.length ? box : h('p', { class: 'muted' }, wt('p.nophotos')));
}

function actionsBlock(p, refresh) {
  const allowed = ACTIONS.filter((a) => (p.allowed_actions || []).includes(a));
  const buttons = allowed.map((a) => h('button', {
    type: 'button', 'data-action': a,
    onclick: async () => { if (await runAction(p, a)) refresh(); },
  }, actionLabel(a)));
  if (mayUse('problems.photo.upload') && !CLOSED.has(p.state)) {
    const input = h('input', { type: 'file', accept: 'image/jpeg,image/png', hidden: true });
    input.addEventListener('change', async () => {
      const file = input.files?.[0];
      if (!file) return;
      try { await uploadPhoto(p.id, file); toast(wt('p.addphoto')); refresh(); } catch (err) { toast(wt('error', { msg: err.message })); }
    });
    buttons.push(h('button', { type: 'button', class: 'secondary', onclick: () => input.click() }, wt('p.addphoto')), input);
  }
  if (Number.isFinite(p.lat) && Number.isFinite(p.lon) && state.map) {
    buttons.push(h('button', { type: 'button', class: 'secondary',
      onclick: () => state.map.setView([p.lat, p.lon], Math.max(state.map.getZoom(), 14)) }, wt('p.onmap')));
  }
  return h('section', { class: 'sub wb-problem-actions', 'aria-label': wt('p.actions') }, h('h3', {}, wt('p.actions')),
    allowed.length ? '' : h('p', { class: 'muted' }, wt('p.noactions')),
    h('div', { class: 'wb-actions' }, ...buttons));
}

export function initProblemActions() {
  on('problem:shown', ({ problem, refresh }) => {
    // Only staff get the full record (allowed_actions, photos); the public sees the map fields.
    if (!state.user || !Array.isArray(problem.allowed_actions)) return;
    const body = document.getElementById('panel-body');
    const title = body.querySelector('.panel-title');
    title?.after(actionsBlock(problem, refresh));
    if (Array.isArray(problem.photos) && mayUse('problems.photo.read')) body.append(photoBlock(problem));
  });
}
