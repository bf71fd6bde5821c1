// Moderation of public reports (河长办审核) on the report page, for office staff signed in on
// the map in this tab (the map keeps its token in sessionStorage). Nobody else sees the tab;
// the API refuses everyone else anyway.
const TOKEN_KEY = 'riverchief.token';
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c != null) node.append(c);
  return node;
}

async function call(path, { method = 'GET', json, blob = false } = {}) {
  const headers = { Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}` };
  if (json !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
  if (blob) return res.ok ? res.blob() : null;
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(Array.isArray(body.detail) ? body.detail.map((d) => d.msg).join('; ') : (body.detail || res.status));
  return body;
}

async function thumbnails(item) {
  const imgs = await Promise.all(item.photo_ids.map(async (pid) => {
    const b = await call(`/api/v1/public/moderation/reports/${item.id}/photos/${pid}?thumbnail=true`, { blob: true });
    return b ? el('img', { src: URL.createObjectURL(b), alt: '现场照片', class: 'thumb' }) : null;
  }));
  return el('div', { class: 'thumbs' }, imgs);
}

function duplicatesText(d) {
  const parts = d.problems.map((p) => `问题 #${p.id}${p.distance_m != null ? `（${p.distance_m} 米）` : ''}${p.same_photo ? '（同一照片）' : ''}`)
    .concat(d.reports.map((r) => `举报 ${r.code}（${r.distance_m} 米）`));
  return parts.length ? `附近可能重复：${parts.join('，')}` : '附近无疑似重复';
}

async function act(item, action, body, out) {
  try {
    const r = await call(`/api/v1/public/moderation/reports/${item.id}/${action}`, { method: 'POST', json: body });
    out.replaceChildren(el('p', { class: 'ok' }, r.problem_id ? `已处理：问题 #${r.problem_id}` : `已处理：${r.report.state_label}`));
    setTimeout(load, 800);
  } catch (err) {
    out.replaceChildren(el('p', { class: 'error' }, `操作失败：${err.message}`));
  }
}

async function card(item) {
  const out = el('div', { role: 'status' });
  const reason = el('input', { placeholder: '不予采纳的原因（将公开）', class: 'reason-input' });
  const merge = el('input', { placeholder: '合并到问题编号', inputmode: 'numeric', class: 'merge-input' });
  return el('li', { class: 'mod-item', 'data-code': item.code },
    el('p', {}, el('strong', {}, `${item.category_label} · ${item.county_name || ''}`), ` 查询码 ${item.code}`),
    el('p', {}, item.description),
    el('p', { class: 'hint' }, `${new Date(item.submitted_at).toLocaleString('zh-CN')} · ${item.lat.toFixed(5)}, ${item.lon.toFixed(5)}`
      + ` · 联系方式：${item.contact || '未留'} · 同一来源 ${item.reports_from_same_source} 件`),
    el('p', { class: 'hint' }, duplicatesText(item.duplicates)),
    await thumbnails(item),
    el('div', { class: 'actions' },
      el('button', { type: 'button', class: 'accept', onclick: () => act(item, 'accept', {}, out) }, '受理'),
      merge, el('button', { type: 'button', onclick: () => act(item, 'merge', { problem_id: Number(merge.value) }, out) }, '合并'),
      reason, el('button', { type: 'button', class: 'reject', onclick: () => act(item, 'reject', { reason: reason.value }, out) }, '不予采纳')),
    out);
}

async function load() {
  const box = $('moderate-result');
  try {
    const items = await call('/api/v1/public/moderation/reports?limit=50');
    box.replaceChildren(items.length ? el('ul', { class: 'mod-list' }, await Promise.all(items.map(card)))
      : el('p', { class: 'hint' }, '暂无待审核的举报。'));
  } catch (err) {
    box.replaceChildren(el('p', { class: 'error' }, `加载失败：${err.message}`));
  }
}

/** Show the moderation tab when the signed-in account is office staff. */
export async function initModeration() {
  if (!sessionStorage.getItem(TOKEN_KEY)) return;
  let me;
  try { me = await call('/api/v1/auth/me'); } catch { return; }
  if (me.role !== 'office') return;
  $('tab-link-moderate').hidden = false;
  const show = () => { if (location.hash.startsWith('#moderate')) load(); };
  window.addEventListener('hashchange', show);
  show();
}
