// UI text: zh-CN by default, English switchable; the choice is kept in localStorage.
const DICT = {
  'zh-CN': {
    'app.title': '乐山市河湖长制地图',
    'period.label': '时段', 'period.year': '全年', 'period.h1': '上半年', 'period.h2': '下半年', 'period.custom': '自定义',
    'neighbor.none': '跨界模式：关闭', 'neighbor.title': '跨界协作：{name}',
    'neighbor.shared': '共享河流', 'neighbor.brief': '联席会议简报', 'neighbor.crossings': '跨界断面',
    'neighbor.border': '共同边界 {km} 公里', 'neighbor.problems': '边界附近问题', 'neighbor.reaches': '边界河段巡河覆盖',
    'neighbor.agreements': '合作协议', 'neighbor.meetings': '联席会议', 'neighbor.items': '未办结议定事项',
    'notify.open': '通知', 'auth.signin': '登录', 'auth.signout': '退出', 'auth.title': '工作人员登录', 'auth.username': '用户名',
    'auth.password': '密码', 'auth.failed': '登录失败：{msg}', 'auth.as': '{user}（{role}）',
    'role.office': '河长办', 'role.chief': '河长', 'role.liaison': '联络员单位', 'role.county': '区县',
    'role.patrol': '巡河员', 'role.neighbor_viewer': '相邻市',
    'common.cancel': '取消', 'common.close': '关闭', 'common.none': '无', 'common.loading': '加载中…',
    'common.error': '出错了：{msg}', 'common.km': '{n} 公里', 'common.more': '详情',
    'notice.title': '数据说明（界线不具权威性；公开地图须取得审图号）',
    'layer.areas': '行政区', 'layer.neighbors': '相邻市', 'layer.rivers': '河流', 'layer.segments': '河段（巡河覆盖率）',
    'layer.problems': '问题', 'layer.crossings': '跨界断面', 'layer.tracks': '巡河轨迹',
    'legend.title': '巡河覆盖率', 'legend.covered': '已巡', 'legend.uncovered': '未巡', 'legend.nodata': '未统计',
    'legend.problems': '问题', 'legend.overdue': '逾期', 'legend.open': '办理中', 'legend.closed': '已办结',
    'legend.crossing': '跨界断面',
    'river.length': '乐山境内长度', 'river.counties': '流经区县', 'river.chiefs': '河长', 'river.units': '联络员单位',
    'river.on': '日期', 'river.coverage': '巡河覆盖率', 'river.monthly': '各月巡河覆盖率', 'river.compliance': '河长履职（巡河次数）',
    'river.problems': '未办结问题', 'river.export': '导出河流地图', 'river.cross': '跨界河流',
    'river.patrols': '{n} 次巡河', 'river.lower_chiefs': '乡级、村级河长（{n} 人）', 'compliance.ok': '已达标', 'compliance.missing': '未达标：{m}',
    'compliance.line': '{name}：全年 {total}/{req} 次，上半年 {h1} 次，下半年 {h2} 次',
    'county.rivers': '河流', 'county.problems': '问题',
    'problem.title': '问题 #{id}', 'problem.category': '类别', 'problem.state': '状态', 'problem.river': '河流',
    'problem.county': '区县', 'problem.observed': '发现时间', 'problem.due': '办理期限', 'problem.history': '办理记录',
    'problem.overdue': '已逾期', 'problem.description': '描述', 'problem.responsible': '责任',
    'cat.sand_mining': '非法采砂', 'cat.garbage': '垃圾', 'cat.sewage_outfall': '排污口', 'cat.illegal_construction': '违建',
    'cat.illegal_fishing': '非法捕捞', 'cat.water_quality': '水质异常', 'cat.other': '其他',
    'state.reported': '已上报', 'state.assigned': '已交办', 'state.rectifying': '整改中', 'state.rectified': '整改完成',
    'state.verified': '复核通过', 'state.closed': '已销号', 'state.closed_not_fixed': '未整改关闭',
    'state.duplicate': '重复', 'state.reopened': '重新打开', 'state.off_river': '非登记河流',
    'upload.open': '上传轨迹', 'upload.title': '上传巡河轨迹', 'upload.file': '轨迹文件（GPX、KML、KMZ、GeoJSON、FIT）',
    'upload.chief': '河长', 'upload.datum': '坐标系', 'upload.wgs84': 'WGS84（GPS 设备）',
    'upload.gcj02': 'GCJ-02（高德、腾讯等应用导出）', 'upload.date': '日期（文件无时间时使用）', 'upload.notes': '巡河日志',
    'upload.submit': '上传', 'upload.sending': '正在上传…', 'upload.valid': '有效巡河', 'upload.invalid': '无效巡河：{why}',
    'upload.summary': '{km} 公里，{min} 分钟，{n} 个点', 'upload.river': '{name}：覆盖 {pct}（{km} 公里）',
    'upload.duplicate': '该轨迹已上传过，显示已有记录。', 'upload.mine': '（本人）',
    'reason.no_times': '轨迹无时间', 'reason.too_short_duration': '时长不足', 'reason.too_short_length': '轨迹过短',
    'reason.no_coverage_of_own_river': '未覆盖本人责任河流（≥1 公里或 ≥5%）',
    'report.open': '报告问题', 'report.title': '报告问题', 'report.hint': '点击地图选择位置，或使用当前位置。',
    'report.here': '使用我的位置', 'report.pick': '在地图上选点', 'report.category': '类别', 'report.description': '描述',
    'report.photo': '照片', 'report.submit': '提交', 'report.nopos': '请先选择位置', 'report.done': '已提交问题 #{id}：{river}',
    'report.picking': '请点击地图上问题所在位置', 'report.offriver': '不在登记河流附近，已转河长办核实',
    'record.start': '开始巡河', 'record.stop': '结束巡河', 'record.points': '巡河中：{n} 个位置，{km} 公里',
    'record.pending': '{n} 条巡河记录待上传（无信号时保存在本机）', 'record.uploaded': '巡河已上传：{summary}',
    'record.nogeo': '此设备不支持定位', 'record.denied': '无法获取位置：{msg}', 'record.empty': '未记录到位置，已放弃',
    'public.report': '市民举报',
    'todo.open': '我的待办', 'todo.title': '我的待办', 'todo.empty': '暂无待办事项', 'todo.due': '截止 {d}', 'todo.reminded': '已提醒',
    'error.401': '请先登录', 'error.403': '无权查看', 'error.network': '网络不可用',
  },
  en: {
    'app.title': 'Leshan River Chief Map',
    'period.label': 'Period', 'period.year': 'Year', 'period.h1': '1st half', 'period.h2': '2nd half', 'period.custom': 'Custom',
    'neighbor.none': 'Cross-boundary: off', 'neighbor.title': 'Cross-boundary: {name}',
    'neighbor.shared': 'Shared rivers', 'neighbor.brief': 'Joint-meeting brief', 'neighbor.crossings': 'Crossings',
    'neighbor.border': 'Shared border {km} km', 'neighbor.problems': 'Problems near the boundary',
    'neighbor.reaches': 'Coverage of boundary reaches', 'neighbor.agreements': 'Agreements', 'neighbor.meetings': 'Joint meetings', 'neighbor.items': 'Open decided items',
    'notify.open': 'Notifications', 'auth.signin': 'Sign in', 'auth.signout': 'Sign out', 'auth.title': 'Staff sign-in', 'auth.username': 'User name',
    'auth.password': 'Password', 'auth.failed': 'Sign-in failed: {msg}', 'auth.as': '{user} ({role})',
    'role.office': 'Chief office', 'role.chief': 'River chief', 'role.liaison': 'Liaison unit', 'role.county': 'County',
    'role.patrol': 'Patrol', 'role.neighbor_viewer': 'Neighbour city',
    'common.cancel': 'Cancel', 'common.close': 'Close', 'common.none': 'None', 'common.loading': 'Loading…',
    'common.error': 'Error: {msg}', 'common.km': '{n} km', 'common.more': 'Details',
    'notice.title': 'Data notice (boundaries not authoritative; public maps of China need a 审图号)',
    'layer.areas': 'Areas', 'layer.neighbors': 'Neighbour cities', 'layer.rivers': 'Rivers',
    'layer.segments': 'Segments (patrol coverage)', 'layer.problems': 'Problems', 'layer.crossings': 'Crossings',
    'layer.tracks': 'Patrol tracks',
    'legend.title': 'Patrol coverage', 'legend.covered': 'Patrolled', 'legend.uncovered': 'Not patrolled',
    'legend.nodata': 'Not computed', 'legend.problems': 'Problems', 'legend.overdue': 'Overdue', 'legend.open': 'Open',
    'legend.closed': 'Closed', 'legend.crossing': 'Crossing',
    'river.length': 'Length in Leshan', 'river.counties': 'Counties', 'river.chiefs': 'Chiefs', 'river.units': 'Liaison units',
    'river.on': 'On', 'river.coverage': 'Patrol coverage', 'river.monthly': 'Coverage by month',
    'river.compliance': "Chief's patrol duty", 'river.problems': 'Open problems', 'river.export': 'Export river map',
    'river.cross': 'Cross-boundary river', 'river.patrols': '{n} patrols', 'river.lower_chiefs': 'Township and village chiefs ({n})', 'compliance.ok': 'Met',
    'compliance.missing': 'Not met: {m}', 'compliance.line': '{name}: {total}/{req} this year, H1 {h1}, H2 {h2}',
    'county.rivers': 'Rivers', 'county.problems': 'Problems',
    'problem.title': 'Problem #{id}', 'problem.category': 'Category', 'problem.state': 'State', 'problem.river': 'River',
    'problem.county': 'County', 'problem.observed': 'Observed', 'problem.due': 'Due', 'problem.history': 'History',
    'problem.overdue': 'Overdue', 'problem.description': 'Description', 'problem.responsible': 'Responsible',
    'cat.sand_mining': 'Illegal sand mining', 'cat.garbage': 'Garbage', 'cat.sewage_outfall': 'Sewage outfall',
    'cat.illegal_construction': 'Illegal construction', 'cat.illegal_fishing': 'Illegal fishing',
    'cat.water_quality': 'Water quality', 'cat.other': 'Other',
    'state.reported': 'Reported', 'state.assigned': 'Assigned', 'state.rectifying': 'Rectifying', 'state.rectified': 'Rectified',
    'state.verified': 'Verified', 'state.closed': 'Closed', 'state.closed_not_fixed': 'Closed, not fixed',
    'state.duplicate': 'Duplicate', 'state.reopened': 'Reopened', 'state.off_river': 'Off registered rivers',
    'upload.open': 'Upload track', 'upload.title': 'Upload a patrol track', 'upload.file': 'Track file (GPX, KML, KMZ, GeoJSON, FIT)',
    'upload.chief': 'Chief', 'upload.datum': 'Datum', 'upload.wgs84': 'WGS84 (GPS devices)',
    'upload.gcj02': 'GCJ-02 (Amap, Tencent exports)', 'upload.date': 'Date (if the file has no times)', 'upload.notes': 'Patrol log',
    'upload.submit': 'Upload', 'upload.sending': 'Uploading…', 'upload.valid': 'Valid patrol', 'upload.invalid': 'Invalid patrol: {why}',
    'upload.summary': '{km} km, {min} min, {n} points', 'upload.river': '{name}: {pct} covered ({km} km)',
    'upload.duplicate': 'This track was uploaded before; showing the existing patrol.', 'upload.mine': ' (me)',
    'reason.no_times': 'no times in the track', 'reason.too_short_duration': 'too short in time',
    'reason.too_short_length': 'track too short',
    'reason.no_coverage_of_own_river': "covers too little of the chief's own rivers (≥ 1 km or ≥ 5%)",
    'report.open': 'Report problem', 'report.title': 'Report a problem', 'report.hint': 'Tap the map to place it, or use your position.',
    'report.here': 'Use my position', 'report.pick': 'Pick on map', 'report.category': 'Category', 'report.description': 'Description',
    'report.photo': 'Photo', 'report.submit': 'Submit', 'report.nopos': 'Choose a position first',
    'report.done': 'Reported problem #{id}: {river}', 'report.picking': 'Tap the place of the problem on the map',
    'report.offriver': 'not near a registered river; the office will check it',
    'record.start': 'Start patrol', 'record.stop': 'End patrol', 'record.points': 'Patrolling: {n} positions, {km} km',
    'record.pending': '{n} recorded patrols waiting to upload (kept on this device)', 'record.uploaded': 'Patrol uploaded: {summary}',
    'record.nogeo': 'This device has no geolocation', 'record.denied': 'No position: {msg}', 'record.empty': 'No positions recorded; discarded',
    'public.report': 'Report a problem (public)',
    'todo.open': 'My to-do', 'todo.title': 'My to-do', 'todo.empty': 'Nothing to do', 'todo.due': 'due {d}', 'todo.reminded': 'reminded',
    'error.401': 'Please sign in', 'error.403': 'Not allowed', 'error.network': 'Network unavailable',
  },
};

const saved = localStorage.getItem('riverchief.lang');
let lang = saved === 'en' ? 'en' : 'zh-CN';

export function getLang() { return lang; }

/** Translate ``key``, filling {name} placeholders from ``vars``; falls back to zh-CN, then the key. */
export function t(key, vars = {}) {
  const text = DICT[lang][key] ?? DICT['zh-CN'][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

/** Fill every [data-i18n] element under ``root`` with its translation. */
export function applyI18n(root = document) {
  document.documentElement.lang = lang;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
}

const listeners = [];
export function onLangChange(fn) { listeners.push(fn); }

export function setLang(next) {
  lang = next === 'en' ? 'en' : 'zh-CN';
  localStorage.setItem('riverchief.lang', lang);
  applyI18n();
  for (const fn of listeners) fn(lang);
}

/** Numbers and percentages in the current language's format. */
export function pct(x) { return x == null ? '—' : `${(x * 100).toFixed(1)}%`; }
export function km(x) { return x == null ? '—' : t('common.km', { n: Number(x).toFixed(1) }); }

const LOCAL = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
/** A stored UTC time shown in Asia/Shanghai, "YYYY-MM-DD HH:MM" (the service counts days there). */
export function localTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : LOCAL.format(d);
}
