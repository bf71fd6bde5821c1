// Notifications (issue 21): three screens for the workbench's screen list, each exported as
// ``render(host)`` (the workbench's contract), and used alone by /notifications until the
// workbench lands:
//   prefs    我的通知设置  every signed-in account (notifications.preferences)
//   outbox   通知发件箱    the office: every notification, its state and error; 重发
//   channels 通知渠道      the office: 钉钉, 企业微信, e-mail, SMS, webhook; secrets write-only
// Self-contained on purpose (api.js, state.js, i18n.js only), so it slots into the workbench.
import { api, qs } from './api.js';
import { h, state } from './state.js';
import { getLang } from './i18n.js';

const TEXT = {
  'zh-CN': {
    prefs: '我的通知设置', outbox: '通知发件箱', channels: '通知渠道',
    email: '电子邮件', sms: '短信', webhook: 'Webhook 转发', address_email: '电子邮箱', phone: '手机号',
    quiet_start: '免打扰开始', quiet_end: '免打扰结束', mode: '发送方式', immediate: '立即发送',
    digest: '每日汇总（随每日待办发送）', save: '保存', saved: '已保存', defaults: '尚未设置，以下为默认值',
    unavailable: '（河长办尚未开通）', state: '状态', all: '全部', resend: '重发', resent: '已重新排队',
    created: '时间', event: '事件', recipient: '接收人', channel: '渠道', attempts: '尝试', error: '错误',
    total: '共 {n} 条', prev: '上一页', next: '下一页', test: '发送测试消息', test_ok: '测试消息已发送',
    forget: '恢复为环境设置', enabled: '启用', source_settings: '来自环境设置', source_office: '河长办设置',
    source_none: '未设置', secret_set: '已设置（留空则不变）', usable: '可用', not_usable: '不可用',
    test_address: '测试接收地址', events: '推送的事件（逗号分隔，留空为全部）', templates: '短信模板（JSON）',
    q: '搜索', signin: '请先在地图页登录，再打开此页。', back: '返回地图',
  },
  en: {
    prefs: 'My notifications', outbox: 'Outbox', channels: 'Channels',
    email: 'E-mail', sms: 'SMS', webhook: 'Webhook relay', address_email: 'E-mail address', phone: 'Mobile number',
    quiet_start: 'Quiet from', quiet_end: 'Quiet until', mode: 'Sending', immediate: 'Immediately',
    digest: 'Daily digest (with the to-do)', save: 'Save', saved: 'Saved', defaults: 'Nothing saved yet: these are the defaults',
    unavailable: ' (not set up by the office)', state: 'State', all: 'All', resend: 'Resend', resent: 'Queued again',
    created: 'Time', event: 'Event', recipient: 'Recipient', channel: 'Channel', attempts: 'Tries', error: 'Error',
    total: '{n} in all', prev: 'Previous', next: 'Next', test: 'Send a test message', test_ok: 'Test message sent',
    forget: 'Back to the settings', enabled: 'Enabled', source_settings: 'from the settings', source_office: 'set by the office',
    source_none: 'not set up', secret_set: 'set (leave empty to keep)', usable: 'usable', not_usable: 'not usable',
    test_address: 'Test address', events: 'Events posted (comma-separated, empty: all)', templates: 'SMS templates (JSON)',
    q: 'Search', signin: 'Sign in on the map page first, then open this page.', back: 'Back to the map',
  },
};
const STATES = { pending: ['待发送', 'Pending'], sent: ['已发送', 'Sent'], failed: ['发送失败', 'Failed'], held: ['待汇总', 'Held for digest'], digested: ['已随每日待办发送', 'Sent in a digest'], cancelled: ['已取消', 'Cancelled'] };
const FIELDS = {
  dingtalk: [['webhook_url', 'Webhook URL'], ['secret', '加签密钥 (SEC…)'], ['events', 'events']],
  wecom: [['webhook_url', 'Webhook URL'], ['events', 'events']],
  email: [['smtp_url', 'SMTP URL (smtp://user:pass@host:587)'], ['sender', '发件人 / From']],
  sms: [['access_key_id', 'AccessKey ID'], ['access_key_secret', 'AccessKey Secret'], ['sign_name', '短信签名 / Sign name'], ['endpoint', 'Endpoint'], ['templates', 'templates']],
  webhook: [['url', 'URL']],
};
const PAGE = 50;

function tx(key, vars = {}) {
  const s = (TEXT[getLang()] || TEXT['zh-CN'])[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
}
const stateLabel = (s) => (STATES[s] || [s, s])[getLang() === 'en' ? 1 : 0];
const when = (iso) => (iso ? new Date(iso).toLocaleString(getLang() === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai' }) : '');
const field = (label, control) => h('label', {}, h('span', {}, label), control);
function say(host, text, cls = 'ok') {
  const out = host.querySelector('[role=status]') || host.appendChild(h('p', { role: 'status' }));
  out.className = cls;
  out.textContent = text;
}

// ---- my preferences --------------------------------------------------------------------
export async function renderPrefs(host) {
  const p = await api('/api/v1/me/notification-preferences');
  const box = (kind) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'channels', value: kind, checked: p.channels.includes(kind) || undefined }),
    ` ${tx(kind)}${p.available.includes(kind) ? '' : tx('unavailable')}`);
  const form = h('form', { class: 'notify-prefs' },
    p.is_default ? h('p', { class: 'hint' }, tx('defaults')) : '',
    h('fieldset', {}, h('legend', {}, tx('channel')), ...['email', 'sms', 'webhook'].map(box)),
    field(tx('address_email'), h('input', { name: 'email', type: 'email', value: p.email ?? undefined, autocomplete: 'email' })),
    field(tx('phone'), h('input', { name: 'phone', type: 'tel', value: p.phone ?? undefined, autocomplete: 'tel' })),
    field(tx('quiet_start'), h('input', { name: 'quiet_start', type: 'time', value: p.quiet_start?.slice(0, 5) ?? undefined })),
    field(tx('quiet_end'), h('input', { name: 'quiet_end', type: 'time', value: p.quiet_end?.slice(0, 5) ?? undefined })),
    field(tx('mode'), h('select', { name: 'mode' },
      h('option', { value: 'immediate', selected: p.mode === 'immediate' || undefined }, tx('immediate')),
      h('option', { value: 'digest', selected: p.mode === 'digest' || undefined }, tx('digest')))),
    h('button', { type: 'submit', 'data-permission': 'notifications.preferences' }, tx('save')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = form.elements;
    const body = {
      channels: [...form.querySelectorAll('input[name=channels]:checked')].map((i) => i.value),
      email: f.email.value.trim() || null, phone: f.phone.value.trim() || null,
      quiet_start: f.quiet_start.value || null, quiet_end: f.quiet_end.value || null, mode: f.mode.value,
    };
    try { await api('/api/v1/me/notification-preferences', { method: 'PUT', json: body }); say(form, tx('saved')); }
    catch (err) { say(form, err.message, 'error'); }
  });
  host.replaceChildren(h('h2', {}, tx('prefs')), form);
}

// ---- the outbox (office) -----------------------------------------------------------------
export async function renderOutbox(host, params = {}) {
  let offset = 0;
  const filter = h('select', { name: 'state', 'aria-label': tx('state') },
    h('option', { value: '' }, tx('all')), ...Object.keys(STATES).map((s) => h('option', { value: s, selected: params.state === s || undefined }, stateLabel(s))));
  const search = h('input', { type: 'search', 'aria-label': tx('q'), placeholder: tx('q'), maxlength: 100 });
  const table = h('table', { class: 'notify-outbox' });
  const count = h('p', { class: 'hint' });
  const prev = h('button', { type: 'button' }, tx('prev'));
  const next = h('button', { type: 'button' }, tx('next'));
  async function load() {
    const res = await api(`/api/v1/notifications/outbox${qs({ state: filter.value, q: search.value.trim(), limit: PAGE, offset })}`, { raw: true });
    const rows = await res.json();
    const total = Number(res.headers.get('X-Total-Count') || rows.length);
    count.textContent = tx('total', { n: total });
    prev.disabled = offset === 0;
    next.disabled = offset + PAGE >= total;
    table.replaceChildren(
      h('thead', {}, h('tr', {}, ...['created', 'event', 'recipient', 'channel', 'state', 'attempts', 'error', ''].map((k) => h('th', {}, k ? tx(k) : '')))),
      h('tbody', {}, ...rows.map((r) => h('tr', { 'data-id': r.id },
        h('td', {}, when(r.created_at)), h('td', { title: r.subject }, `${r.event_label}：${r.subject}`),
        h('td', {}, r.recipient_label), h('td', {}, r.channel),
        h('td', { class: `state-${r.state}` }, stateLabel(r.state)), h('td', {}, String(r.attempts)),
        h('td', { class: 'error' }, r.last_error ?? ''),
        h('td', {}, ['failed', 'sent'].includes(r.state)
          ? h('button', { type: 'button', 'data-permission': 'notifications.outbox', 'aria-label': `${tx('resend')} #${r.id}`, onclick: async (e) => {
            e.target.disabled = true;
            try { await api(`/api/v1/notifications/outbox/${r.id}/resend`, { method: 'POST' }); say(host, tx('resent')); await load(); }
            catch (err) { say(host, err.message, 'error'); e.target.disabled = false; }
          } }, tx('resend')) : '')))));
  }
  filter.addEventListener('change', () => { offset = 0; load(); });
  search.addEventListener('change', () => { offset = 0; load(); });
  prev.addEventListener('click', () => { offset = Math.max(0, offset - PAGE); load(); });
  next.addEventListener('click', () => { offset += PAGE; load(); });
  host.replaceChildren(h('h2', {}, tx('outbox')), h('div', { class: 'row' }, filter, search), count, table, h('div', { class: 'row' }, prev, next));
  await load();
}

// ---- channels (office) -------------------------------------------------------------------
function channelForm(c, reload) {
  const secret = new Set(c.secret_fields);
  const inputs = FIELDS[c.kind].map(([name, label]) => {
    const value = c.options[name];
    const shown = name === 'events' ? (value || []).join(', ') : name === 'templates' ? JSON.stringify(value || {}) : value ?? '';
    const input = h('input', {
      name, type: secret.has(name) ? 'password' : 'text', autocomplete: 'off', value: secret.has(name) ? undefined : shown || undefined,
      placeholder: secret.has(name) && c.secrets_set.includes(name) ? tx('secret_set') : undefined,
    });
    return field(name === 'events' ? tx('events') : name === 'templates' ? tx('templates') : label, input);
  });
  const enabled = h('input', { type: 'checkbox', name: 'enabled', checked: c.enabled || c.source === 'none' || undefined });
  const address = h('input', { name: 'test_address', autocomplete: 'off' });
  const form = h('form', { class: 'notify-channel', 'aria-label': c.label },
    h('fieldset', {}, h('legend', {}, `${c.label} · ${tx(`source_${c.source}`)} · ${c.usable ? tx('usable') : tx('not_usable')}`),
      c.problem ? h('p', { class: 'error' }, c.problem) : '',
      h('label', { class: 'check' }, enabled, ` ${tx('enabled')}`), ...inputs,
      h('div', { class: 'row' }, h('button', { type: 'submit', 'data-permission': 'notifications.channels', 'aria-label': `${tx('save')} ${c.label}` }, tx('save')),
        c.source === 'office' ? h('button', { type: 'button', 'aria-label': `${tx('forget')} ${c.label}`, onclick: async () => {
          await api(`/api/v1/notifications/channels/${c.kind}`, { method: 'DELETE' }); await reload();
        } }, tx('forget')) : ''),
      ['email', 'sms'].includes(c.kind) ? field(tx('test_address'), address) : '',
      h('button', { type: 'button', 'aria-label': `${tx('test')} ${c.label}`, onclick: async () => {
        try {
          const r = await api(`/api/v1/notifications/channels/${c.kind}/test`, { method: 'POST', json: { address: address.value.trim() } });
          say(form, r.ok ? tx('test_ok') : r.error, r.ok ? 'ok' : 'error');
        } catch (err) { say(form, err.message, 'error'); }
      } }, tx('test'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { enabled: enabled.checked };
    for (const [name] of FIELDS[c.kind]) {
      const v = form.elements[name].value.trim();
      if (!v) continue;
      if (name === 'events') body.events = v.split(/[,，\s]+/).filter(Boolean);
      else if (name === 'templates') { try { body.templates = JSON.parse(v); } catch { say(form, 'templates: JSON', 'error'); return; } }
      else body[name] = v;
    }
    try { await api(`/api/v1/notifications/channels/${c.kind}`, { method: 'PUT', json: body }); await reload(); }
    catch (err) { say(form, err.message, 'error'); }
  });
  return form;
}

export async function renderChannels(host) {
  const reload = async () => {
    const list = await api('/api/v1/notifications/channels');
    host.replaceChildren(h('h2', {}, tx('channels')), ...list.map((c) => channelForm(c, reload)));
  };
  await reload();
}

/** The screens, for the workbench's SCREENS list (id, label, permission, render). */
export const SCREENS = [
  { id: 'notify-prefs', label: () => tx('prefs'), permission: 'notifications.preferences', render: renderPrefs },
  { id: 'notify-outbox', label: () => tx('outbox'), permission: 'notifications.outbox', render: renderOutbox },
  { id: 'notify-channels', label: () => tx('channels'), permission: 'notifications.channels', render: renderChannels },
];

/** True if the signed-in role holds ``permission`` (the role matrix in map-config). */
export function mayUse(permission) {
  const rule = state.config?.permissions?.[permission];
  if (rule === 'public') return true;
  if (Array.isArray(rule)) return rule.includes(state.user?.role);
  // Without the matrix in the config: the office sees everything, others their settings.
  return permission === 'notifications.preferences' ? Boolean(state.user) : state.user?.role === 'office';
}

export { tx };
