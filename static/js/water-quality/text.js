// UI text of the water-quality screens (zh-CN default, English), kept with them so the
// shared dictionary in i18n.js stays small; the language is the page's (i18n.getLang).
import { getLang } from '../i18n.js';

const DICT = {
  'zh-CN': {
    'layer': '水质断面（最新类别）', 'legend': '断面水质类别', 'nodata': '无监测数据',
    'class.1': 'Ⅰ类', 'class.2': 'Ⅱ类', 'class.3': 'Ⅲ类', 'class.4': 'Ⅳ类', 'class.5': 'Ⅴ类', 'class.6': '劣Ⅴ类',
    'kind.national': '国控', 'kind.provincial': '省控', 'kind.city': '市控', 'kind.county': '县控', 'kind.border': '交接',
    'dir.inflow': '入境', 'dir.outflow': '出境',
    'target': '目标', 'latest': '最新', 'met': '达标', 'missed': '超标', 'month': '月份',
    'river.block': '断面水质（各月类别）', 'river.none': '该河流无监测断面',
    'border.list': '交接断面水质清单', 'border.none': '无交接断面', 'border.agenda': '提请联席会议：入境水质超标',
    'border.noagenda': '无',
    'chart.label': '{name}：各月水质类别', 'chart.cell': '{m}：{cls}（目标 {target}）',
    'panel.title': '{name}断面', 'panel.code': '编码', 'panel.kind': '类型', 'panel.river': '河流',
    'panel.measure': '里程', 'panel.snap': '距河道', 'panel.border': '交界', 'panel.counties': '上游 / 下游区县',
    'panel.operator': '运维单位', 'panel.readings': '监测数据', 'panel.date': '日期', 'panel.class': '类别',
    'open': '水质断面', 'screen.title': '水质断面与监测数据', 'sections': '断面', 'none': '尚无断面',
    'register': '登记断面', 'name': '断面名称', 'code': '断面编码', 'kindf': '断面类型', 'lon': '经度（WGS84）',
    'lat': '纬度（WGS84）', 'targetf': '目标类别', 'operatorf': '运维单位', 'riverf': '所在河流（可选）',
    'anyriver': '自动（最近的河流）', 'pick': '在地图上选点', 'picking': '请点击地图上断面所在位置',
    'submit': '登记', 'registered': '已登记 {name}：{river}，里程 {km} 公里，距河道 {m} 米',
    'import': '导入监测数据', 'file': '监测数据文件（CSV 或 XLSX，中文表头）', 'preview': '预览',
    'doimport': '导入', 'imported': '已导入 {n} 行', 'previewed': '可导入 {n} 行（预览，未保存）',
    'refused': '{n} 行有误，整份文件未导入', 'row': '行', 'column': '列', 'reason': '原因',
    'exceeded': '超标：{name} {month} {cls}，已{what}问题 #{id}', 'opened': '新建', 'supervised': '督办',
    'entry': '录入监测数据', 'entrysection': '断面', 'entrydate': '采样日期', 'entrysubmit': '保存',
    'saved': '已保存：{cls}', 'help': '表头示例：断面编码, 监测日期, 溶解氧(mg/L), 高锰酸盐指数(mg/L), 化学需氧量(mg/L), 五日生化需氧量(mg/L), 氨氮(mg/L), 总磷(mg/L), 总氮(mg/L), pH。单位仅限 mg/L；低于检出限写作 0.01L。',
    'p.do': '溶解氧', 'p.codmn': '高锰酸盐指数', 'p.cod': '化学需氧量', 'p.bod5': '五日生化需氧量', 'p.nh3n': '氨氮',
    'p.tp': '总磷', 'p.tn': '总氮', 'p.ph': 'pH',
  },
  en: {
    'layer': 'Monitoring sections (latest class)', 'legend': 'Section water class', 'nodata': 'No readings',
    'class.1': 'I', 'class.2': 'II', 'class.3': 'III', 'class.4': 'IV', 'class.5': 'V', 'class.6': 'worse than V',
    'kind.national': 'national', 'kind.provincial': 'provincial', 'kind.city': 'city', 'kind.county': 'county', 'kind.border': 'border',
    'dir.inflow': 'inflow', 'dir.outflow': 'outflow',
    'target': 'Target', 'latest': 'Latest', 'met': 'met', 'missed': 'worse than target', 'month': 'Month',
    'river.block': 'Water quality at sections (class by month)', 'river.none': 'No monitoring section on this river',
    'border.list': 'Border sections: class by month', 'border.none': 'No border section',
    'border.agenda': 'For the joint meeting: inflow worse than target', 'border.noagenda': 'None',
    'chart.label': '{name}: water class by month', 'chart.cell': '{m}: {cls} (target {target})',
    'panel.title': 'Section {name}', 'panel.code': 'Code', 'panel.kind': 'Kind', 'panel.river': 'River',
    'panel.measure': 'Measure', 'panel.snap': 'From the line', 'panel.border': 'Border', 'panel.counties': 'Counties up / down',
    'panel.operator': 'Operator', 'panel.readings': 'Readings', 'panel.date': 'Date', 'panel.class': 'Class',
    'open': 'Water quality', 'screen.title': 'Monitoring sections and readings', 'sections': 'Sections', 'none': 'No sections yet',
    'register': 'Register a section', 'name': 'Section name', 'code': 'Section code', 'kindf': 'Kind', 'lon': 'Longitude (WGS84)',
    'lat': 'Latitude (WGS84)', 'targetf': 'Target class', 'operatorf': 'Operator', 'riverf': 'River (optional)',
    'anyriver': 'Automatic (nearest river)', 'pick': 'Pick on map', 'picking': 'Click the section on the map',
    'submit': 'Register', 'registered': 'Registered {name}: {river}, {km} km along, {m} m from the line',
    'import': 'Import readings', 'file': 'Readings file (CSV or XLSX, Chinese headers)', 'preview': 'Preview',
    'doimport': 'Import', 'imported': '{n} rows imported', 'previewed': '{n} rows would be imported (preview, not saved)',
    'refused': '{n} rows refused; nothing of the file was imported', 'row': 'Row', 'column': 'Column', 'reason': 'Reason',
    'exceeded': 'Exceeded: {name} {month} {cls}; problem #{id} {what}', 'opened': 'opened', 'supervised': 'supervised',
    'entry': 'Enter a reading', 'entrysection': 'Section', 'entrydate': 'Sampling day', 'entrysubmit': 'Save',
    'saved': 'Saved: {cls}', 'help': 'Headers e.g. 断面编码, 监测日期, 溶解氧(mg/L), 高锰酸盐指数(mg/L), 化学需氧量(mg/L), 五日生化需氧量(mg/L), 氨氮(mg/L), 总磷(mg/L), 总氮(mg/L), pH. mg/L only; below the detection limit: 0.01L.',
    'p.do': 'Dissolved oxygen', 'p.codmn': 'Permanganate index', 'p.cod': 'COD', 'p.bod5': 'BOD5', 'p.nh3n': 'Ammonia nitrogen',
    'p.tp': 'Total phosphorus', 'p.tn': 'Total nitrogen', 'p.ph': 'pH',
  },
};

/** Translate ``key`` of this module's dictionary, filling {name} placeholders. */
export function wt(key, vars = {}) {
  const text = DICT[getLang()]?.[key] ?? DICT['zh-CN'][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

/** Class colours as the server's legend (GB 3838: blue I-II, green III ... red 劣V). */
export const CLASS_COLOURS = { 1: '#4fa3e0', 2: '#1f78b4', 3: '#33a02c', 4: '#e6c300', 5: '#ff7f00', 6: '#e31a1c' };
export const NODATA = '#9e9e9e';
export const PARAMETERS = ['do', 'codmn', 'cod', 'bod5', 'nh3n', 'tp', 'tn', 'ph'];

export function classText(cls) { return cls ? wt(`class.${cls}`) : wt('nodata'); }
