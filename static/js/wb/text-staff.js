// UI text of the patrols, compliance, accounts and audit screens (issue 15; zh-CN default,
// English), beside the shell's own dictionary (wb/text.js) so the two can grow apart.
import { getLang } from '../i18n.js';

const DICT = {
  'zh-CN': {
    'pt.title': '巡河记录', 'pt.id': '编号', 'pt.chief': '河长', 'pt.date': '巡河日期', 'pt.valid': '是否有效',
    'pt.valid.yes': '有效', 'pt.valid.no': '无效', 'pt.why': '无效原因', 'pt.coverage': '覆盖河流', 'pt.length': '里程（公里）',
    'pt.format': '格式', 'pt.counted': '计入履职', 'pt.voided': '已作废', 'pt.actions': '操作',
    'pt.from': '巡河日期起', 'pt.to': '巡河日期止', 'pt.chief_id': '河长',
    'pt.show': '在地图上显示巡河 #{id} 轨迹', 'pt.gpx': '下载巡河 #{id} GPX', 'pt.raw': '下载巡河 #{id} 原始文件',
    'pt.void': '作废巡河 #{id}', 'pt.void.title': '作废巡河记录 #{id}', 'pt.void.reason': '作废原因', 'pt.void.done': '巡河 #{id} 已作废',
    'pt.gpkg': '导出轨迹 GeoPackage', 'pt.shown': '巡河 #{id} 的轨迹已显示在地图上',
    'cp.title': '巡河履职', 'cp.year': '年度', 'cp.name': '姓名', 'cp.role': '职务', 'cp.level': '层级', 'cp.rule': '要求',
    'cp.total': '已巡河次数', 'cp.required': '应巡河次数', 'cp.h1': '上半年', 'cp.h2': '下半年', 'cp.ok': '是否达标',
    'cp.missing': '尚缺（截止日期）', 'cp.coverage': '覆盖率', 'cp.xlsx': '下载履职 XLSX', 'cp.only_missing': '只看未达标',
    'cp.general_chief': '市总河长', 'cp.river_chief': '河长',
    'us.title': '账号管理', 'us.username': '用户名', 'us.role': '角色', 'us.binding': '绑定', 'us.state': '状态',
    'us.disabled': '已停用', 'us.active': '正常', 'us.locked': '已锁定', 'us.created': '创建时间', 'us.actions': '操作',
    'us.create': '新建账号', 'us.password': '初始密码（留空则自动生成）', 'us.official_id': '河长编号',
    'us.liaison_unit_id': '联络员单位编号', 'us.county_code': '区县代码', 'us.township_code': '乡镇代码',
    'us.neighbor_code': '相邻市代码', 'us.edit': '设置账号 {name} 的角色与绑定', 'us.edit.title': '角色与绑定：{name}',
    'us.disable': '停用账号 {name}', 'us.enable': '启用账号 {name}', 'us.reset': '重置账号 {name} 的密码',
    'us.unlock': '解锁账号 {name}', 'us.created.pw': '已创建账号 {name}，初始密码：{pw}（只显示这一次）',
    'us.created.ok': '已创建账号 {name}', 'us.reset.pw': '账号 {name} 的新密码：{pw}（只显示这一次）',
    'us.done': '已保存账号 {name}', 'us.confirm.disable': '停用后该账号立即无法使用，确认停用 {name}？',
    'us.confirm.reset': '重置后旧密码和已登录的会话立即失效，确认重置 {name} 的密码？', 'us.filter.disabled': '只看已停用',
    'role.office': '河长办', 'role.chief': '河长', 'role.liaison': '联络员单位', 'role.county': '区县河长办',
    'role.township': '乡镇河长办', 'role.patrol': '巡河员', 'role.neighbor_viewer': '相邻市',
    'au.title': '审计日志', 'au.at': '时间', 'au.actor': '操作人', 'au.action': '操作', 'au.table': '对象（表）',
    'au.row': '对象编号', 'au.request': '请求', 'au.changes': '变更', 'au.from': '日期起', 'au.to': '日期止',
    'au.actor_id': '操作人账号编号', 'au.actor.f': '操作人（如 user:office）',
    'act.insert': '新增', 'act.update': '修改', 'act.delete': '删除', 'act.bulk_insert': '批量新增', 'act.bulk_update': '批量修改', 'act.bulk_delete': '批量删除',
    'yes': '是', 'no': '否', 'error': '出错了：{msg}',
  },
  en: {
    'pt.title': 'Patrols', 'pt.id': 'Id', 'pt.chief': 'Chief', 'pt.date': 'Date', 'pt.valid': 'Valid',
    'pt.valid.yes': 'Valid', 'pt.valid.no': 'Invalid', 'pt.why': 'Why not valid', 'pt.coverage': 'Rivers covered', 'pt.length': 'Length (km)',
    'pt.format': 'Format', 'pt.counted': 'Counted', 'pt.voided': 'Voided', 'pt.actions': 'Actions',
    'pt.from': 'Date from', 'pt.to': 'Date to', 'pt.chief_id': 'Chief',
    'pt.show': 'Show the track of patrol #{id} on the map', 'pt.gpx': 'Download GPX of patrol #{id}', 'pt.raw': 'Download the raw file of patrol #{id}',
    'pt.void': 'Void patrol #{id}', 'pt.void.title': 'Void patrol #{id}', 'pt.void.reason': 'Reason for voiding', 'pt.void.done': 'Patrol #{id} voided',
    'pt.gpkg': 'Export tracks as GeoPackage', 'pt.shown': 'The track of patrol #{id} is on the map',
    'cp.title': 'Patrol duty', 'cp.year': 'Year', 'cp.name': 'Name', 'cp.role': 'Role', 'cp.level': 'Level', 'cp.rule': 'Rule',
    'cp.total': 'Patrols', 'cp.required': 'Required', 'cp.h1': 'First half', 'cp.h2': 'Second half', 'cp.ok': 'Compliant',
    'cp.missing': 'Missing (by when)', 'cp.coverage': 'Coverage', 'cp.xlsx': 'Download duty XLSX', 'cp.only_missing': 'Not compliant only',
    'cp.general_chief': 'General chief', 'cp.river_chief': 'River chief',
    'us.title': 'Accounts', 'us.username': 'Username', 'us.role': 'Role', 'us.binding': 'Binding', 'us.state': 'State',
    'us.disabled': 'Disabled', 'us.active': 'Active', 'us.locked': 'Locked', 'us.created': 'Created', 'us.actions': 'Actions',
    'us.create': 'New account', 'us.password': 'Initial password (empty: generate one)', 'us.official_id': 'Chief id',
    'us.liaison_unit_id': 'Liaison unit id', 'us.county_code': 'County code', 'us.township_code': 'Township code',
    'us.neighbor_code': 'Neighbour city code', 'us.edit': 'Set role and binding of {name}', 'us.edit.title': 'Role and binding: {name}',
    'us.disable': 'Disable account {name}', 'us.enable': 'Enable account {name}', 'us.reset': 'Reset the password of {name}',
    'us.unlock': 'Unlock account {name}', 'us.created.pw': 'Account {name} created, initial password: {pw} (shown once)',
    'us.created.ok': 'Account {name} created', 'us.reset.pw': 'New password of {name}: {pw} (shown once)',
    'us.done': 'Account {name} saved', 'us.confirm.disable': 'The account stops working at once. Disable {name}?',
    'us.confirm.reset': 'The old password and signed-in sessions stop working at once. Reset the password of {name}?',
    'us.filter.disabled': 'Disabled only',
    'role.office': 'Chief office', 'role.chief': 'River chief', 'role.liaison': 'Liaison unit', 'role.county': 'County office',
    'role.township': 'Township office', 'role.patrol': 'Patrol recorder', 'role.neighbor_viewer': 'Neighbour city',
    'au.title': 'Audit log', 'au.at': 'Time', 'au.actor': 'Who', 'au.action': 'Action', 'au.table': 'Object (table)',
    'au.row': 'Object id', 'au.request': 'Request', 'au.changes': 'Changes', 'au.from': 'From', 'au.to': 'To',
    'au.actor_id': 'Account id of who', 'au.actor.f': 'Who (e.g. user:office)',
    'act.insert': 'Insert', 'act.update': 'Update', 'act.delete': 'Delete', 'act.bulk_insert': 'Bulk insert', 'act.bulk_update': 'Bulk update', 'act.bulk_delete': 'Bulk delete',
    'yes': 'Yes', 'no': 'No', 'error': 'Error: {msg}',
  },
};

/** Translate ``key`` of these screens, filling {name} placeholders. */
export function st(key, vars = {}) {
  const text = DICT[getLang()]?.[key] ?? DICT['zh-CN'][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

export const ROLES = ['office', 'chief', 'liaison', 'county', 'township', 'patrol', 'neighbor_viewer'];
