// Workbench screen 河长公示牌 (issue 19): the registry of signboards with each board's print
// status (未印制 / 最新 / 已过期: a chief changed since it was printed), its QR code, A4/A3
// printable board (each download is recorded as a printing), public page, and the office's
// create / edit / photo.
import { api } from '../../api.js';
import { h, toast } from '../../state.js';
import { createTable, saveBlob } from '../table.js';
import { formDialog } from '../dialog.js';
import { mayUse } from '../access.js';
import { at } from '../../archive/text.js';

export const SCREEN = {
  id: 'signboards', label: () => at('sb.title'), permission: 'signboards.read', group: 'data',
  capability: 'signboards',
};

const STATUSES = ['never_printed', 'current', 'out_of_date'];

async function blobOf(path) {
  const res = await api(path, { raw: true });
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    throw new Error(body.detail || res.statusText);
  }
  return res.blob();
}

async function showQr(board) {
  try {
    const url = URL.createObjectURL(await blobOf(`/api/v1/signboards/${board.id}/qr.png`));
    const dlg = h('dialog', { class: 'wb-dialog', 'aria-label': `${at('sb.qr')} ${board.number}` },
      h('h2', {}, `${at('sb.qr')} · ${board.number}`),
      h('img', { src: url, alt: board.page_url, width: 240, height: 240 }),
      h('p', {}, h('a', { href: board.page_url, target: '_blank', rel: 'noopener' }, board.page_url)),
      h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => { dlg.close(); dlg.remove(); URL.revokeObjectURL(url); } }, '关闭')));
    document.body.append(dlg);
    dlg.showModal();
  } catch (err) { toast(err.message); }
}

async function printBoard(board, paper, reload) {
  try {
    saveBlob(await blobOf(`/api/v1/signboards/${board.id}/print.pdf?paper=${paper}`), `公示牌-${board.number}-${paper}.pdf`);
    toast(at('sb.printed', { n: board.number, p: paper }));
    await reload();
  } catch (err) { toast(err.message); }
}

let reachOptions = null;
async function reaches() {
  if (!reachOptions) {
    const rows = await api('/api/v1/reaches?limit=10000');
    reachOptions = rows.map((r) => [r.id, `${r.name}（${r.code}）`]);
  }
  return reachOptions;
}

async function editBoard(board, reload) {
  const num = (v) => (v === null || v === '' ? null : Number(v));
  const values = await formDialog({
    title: board ? `${at('sb.edit')} ${board.number}` : at('sb.new'),
    fields: [
      { name: 'reach_id', label: at('sb.reach_id'), options: await reaches(), required: true, value: board?.reach_id },
      { name: 'number', label: at('sb.number'), required: true, maxlength: 40, value: board?.number ?? '' },
      { name: 'installed_on', label: at('sb.installed'), type: 'date', value: board?.installed_on ?? '' },
      { name: 'lon', label: at('sb.lon'), type: 'number', step: 'any', value: board?.lon ?? '' },
      { name: 'lat', label: at('sb.lat'), type: 'number', step: 'any', value: board?.lat ?? '' },
      { name: 'note', label: at('sb.note'), type: 'textarea', maxlength: 500, value: board?.note ?? '' },
      { name: 'photo', label: at('sb.photo'), type: 'file', accept: 'image/jpeg,image/png' },
    ],
    submit: async (v) => {
      const body = { reach_id: Number(v.reach_id), number: v.number, installed_on: v.installed_on, note: v.note };
      const lon = num(v.lon), lat = num(v.lat);
      if (lon !== null && lat !== null) Object.assign(body, { lon, lat });
      const saved = board
        ? await api(`/api/v1/signboards/${board.id}`, { method: 'PATCH', json: body })
        : await api('/api/v1/signboards', { method: 'POST', json: body });
      if (v.photo && v.photo.length) {
        const form = new FormData();
        form.set('file', v.photo[0]);
        await api(`/api/v1/signboards/${saved.id}/photo`, { method: 'POST', form });
      }
      toast(at('sb.saved', { n: saved.number }));
    },
  });
  if (values) await reload();
}

export async function render(host) {
  const office = mayUse('signboards.write');
  let table;
  const reload = async () => table.setRows(await api('/api/v1/signboards?limit=10000'));
  const actions = (b) => h('span', { class: 'row-actions' },
    h('button', { type: 'button', 'aria-label': `${at('sb.qr')} ${b.number}`, onclick: () => showQr(b) }, at('sb.qr')),
    office ? h('button', { type: 'button', 'aria-label': `${at('sb.a4')} ${b.number}`, onclick: () => printBoard(b, 'A4', reload) }, at('sb.a4')) : '',
    office ? h('button', { type: 'button', 'aria-label': `${at('sb.a3')} ${b.number}`, onclick: () => printBoard(b, 'A3', reload) }, at('sb.a3')) : '',
    office ? h('button', { type: 'button', 'aria-label': `${at('sb.edit')} ${b.number}`, onclick: () => editBoard(b, reload) }, at('sb.edit')) : '',
    h('a', { href: b.page_url, target: '_blank', rel: 'noopener', 'aria-label': `${at('sb.page')} ${b.number}` }, at('sb.page')));
  table = createTable({
    id: 'signboards',
    title: () => at('sb.title'),
    columns: [
      { key: 'number', label: at('sb.number'), sort: true },
      { key: 'river_name', label: at('sb.river'), sort: true },
      { key: 'reach_name', label: at('sb.reach'), sort: true },
      { key: 'installed_on', label: at('sb.installed'), type: 'date', sort: true },
      { key: 'print_status', label: at('sb.status'), sort: true, value: (b) => at(`st.${b.print_status}`),
        render: (b) => h('span', { class: b.out_of_date ? 'warn' : '' }, at(`st.${b.print_status}`)) },
      { key: 'actions', label: at('sb.actions'), render: actions, value: () => '' },
    ],
    rows: [],
    filters: [{ key: 'print_status', label: at('sb.status'), options: STATUSES.map((s) => [s, at(`st.${s}`)]) }],
    tools: office ? [h('button', { type: 'button', onclick: () => editBoard(null, reload) }, at('sb.new'))] : [],
  });
  host.replaceChildren(table.el);
  await reload();
}
