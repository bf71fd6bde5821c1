// Workbench modal form (issue 15): labelled fields in a <dialog>, resolves with the values.
//
// API
//   import { formDialog, confirmDialog } from '/static/js/wb/dialog.js';
//   const values = await formDialog({
//     title: '交办',                       // the dialog's heading and accessible name
//     fields: [                             // each gets a <label> with its text: get_by_label('责任区县')
//       { name: 'county', label: '责任区县', options: [['511111', '沙湾区'], ...], required: true },
//       { name: 'due', label: '办理期限', type: 'date', required: true, value: '2026-12-31' },
//       { name: 'note', label: '说明', type: 'textarea', maxlength: 4000 },
//       { name: 'photos', label: '照片', type: 'file', accept: 'image/jpeg,image/png', multiple: true },
//       { name: 'n', label: '数量', type: 'number', min: 0, step: 1 },
//       { name: 'ok', label: '已核实', type: 'checkbox' },
//       { name: 'kind', label: '方式', options: [...], radio: true },   // radio group (fieldset)
//     ],
//     submitLabel: '确定',                 // default 确定 (OK); cancel is 取消 (Cancel)
//     hint: 'text shown under the title',
//     validate: (values) => null | 'message',   // checked before closing; message shown in role=alert
//     submit: async (values) => {...},          // optional: runs before closing; a thrown error
//   });                                         //   is shown in the dialog and it stays open
//   // values: { county: '511111', due: '2026-12-31', note: null, photos: [File...], n: 3, ok: true }
//   //   (empty text → null, number → Number, checkbox → boolean, file → File[]); null if cancelled.
//   await confirmDialog('销号', '确认销号？') // → true / false
//
// Options may be [value, label] pairs or {value, label} objects. Labels are plain strings
// (callers translate them); the buttons follow the page language.
import { h } from '../state.js';
import { wt } from './text.js';

function optionPairs(options) {
  return options.map((o) => (Array.isArray(o) ? o : [o.value, o.label]));
}

function fieldControl(f) {
  const common = { name: f.name, required: f.required || undefined, id: `wbf-${f.name}-${Math.random().toString(36).slice(2, 8)}` };
  if (f.options && f.radio) {
    const box = h('fieldset', { class: 'wb-radio' }, h('legend', {}, f.label),
      ...optionPairs(f.options).map(([v, label], i) => h('label', {},
        h('input', { type: 'radio', name: f.name, value: String(v), checked: (f.value !== undefined ? String(f.value) === String(v) : i === 0) || undefined }),
        ` ${label}`)));
    return { wrap: box, read: () => box.querySelector('input:checked')?.value ?? null };
  }
  let el;
  if (f.options) {
    el = h('select', common, !f.required || f.value === undefined ? h('option', { value: '' }, '—') : '',
      ...optionPairs(f.options).map(([v, label]) => h('option', { value: String(v) }, label)));
    if (f.value !== undefined && f.value !== null) el.value = String(f.value);
  } else if (f.type === 'textarea') {
    el = h('textarea', { ...common, rows: f.rows || 3, maxlength: f.maxlength });
    if (f.value) el.value = f.value;
  } else if (f.type === 'checkbox') {
    el = h('input', { ...common, type: 'checkbox', checked: f.value || undefined });
  } else {
    el = h('input', {
      ...common, type: f.type || 'text', value: f.value ?? undefined, min: f.min, max: f.max, step: f.step,
      maxlength: f.maxlength, accept: f.accept, multiple: f.multiple || undefined, placeholder: f.placeholder,
      autocomplete: f.autocomplete,
    });
  }
  const read = () => {
    if (f.type === 'checkbox') return el.checked;
    if (f.type === 'file') return [...(el.files || [])];
    const v = el.value.trim();
    if (v === '') return null;
    return f.type === 'number' ? Number(v) : v;
  };
  // The label holds only its text (a <select> inside its label would add the chosen option
  // to the accessible name).
  const wrap = f.type === 'checkbox'
    ? h('label', { class: 'wb-check', for: el.id }, el, ` ${f.label}`)
    : h('div', { class: 'wb-field' }, h('label', { for: el.id }, f.label), el, f.hint ? h('small', { class: 'muted' }, f.hint) : '');
  return { wrap, read, el };
}

/** A modal form; resolves with the values, or null when cancelled (取消, Escape). */
export function formDialog({ title, fields = [], submitLabel, hint, validate, submit, extra } = {}) {
  return new Promise((resolve) => {
    const controls = fields.map((f) => [f, fieldControl(f)]);
    const error = h('p', { class: 'error', role: 'alert', hidden: true });
    const ok = h('button', { type: 'submit', class: 'primary' }, submitLabel || wt('ok'));
    const dlg = h('dialog', { class: 'wb-dialog', 'aria-label': title });
    let done = false;
    const close = (value) => { if (done) return; done = true; dlg.close(); dlg.remove(); resolve(value); };
    const form = h('form', { novalidate: true },
      h('h2', {}, title), hint ? h('p', { class: 'hint' }, hint) : '',
      ...controls.map(([, c]) => c.wrap), extra || '', error,
      h('div', { class: 'actions' }, ok,
        h('button', { type: 'button', class: 'cancel', onclick: () => close(null) }, wt('cancel'))));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const values = Object.fromEntries(controls.map(([f, c]) => [f.name, c.read()]));
      const missing = controls.filter(([f]) => f.required && (values[f.name] === null || (Array.isArray(values[f.name]) && !values[f.name].length)))
        .map(([f]) => f.label);
      const problem = missing.length ? wt('required', { fields: missing.join('、') }) : validate?.(values);
      if (problem) { error.textContent = problem; error.hidden = false; return; }
      if (submit) {
        ok.disabled = true;
        try { await submit(values); } catch (err) {
          error.textContent = err?.message || String(err);
          error.hidden = false;
          ok.disabled = false;
          return;
        }
      }
      close(values);
    });
    dlg.addEventListener('cancel', (e) => { e.preventDefault(); close(null); });
    dlg.append(form);
    document.body.append(dlg);
    dlg.showModal();
    (controls[0]?.[1].el || ok).focus();
  });
}

/** Ask yes or no; resolves true only when confirmed. */
export async function confirmDialog(title, text, submitLabel) {
  return (await formDialog({ title, hint: text, submitLabel })) !== null;
}
