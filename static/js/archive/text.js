// UI text of the river archive (一河一档) and signboard (公示牌) screens (issue 19), zh-CN default
// and English, kept with them so the shared dictionary in i18n.js stays small.
import { getLang } from '../i18n.js';

const DICT = {
  'zh-CN': {
    'archive.title': '一河一档', 'river': '河流', 'on': '档案日期', 'edit': '编辑档案', 'xlsx': '导出档案 XLSX',
    'print': '打印档案（A4）', 'saved': '档案已保存', 'open': '一河一档',
    'f.code': '河流编码', 'f.level': '河流等级', 'f.class': '河流类别', 'f.basin': '所属流域', 'f.source': '河源',
    'f.mouth': '河口', 'f.total': '河流长度（km）', 'f.incity': '市内长度（km）', 'f.area': '流域面积（km²）',
    'f.counties': '流经县（市、区）', 'f.townships': '流经乡镇（街道）', 'f.problems': '主要问题（每行一条）',
    'f.zones': '水功能区（每行：名称，类型，起始，终止，水质目标 1-5）', 'f.note': '备注',
    's.reaches': '河段与河长', 's.sections': '监测断面', 's.zones': '水功能区', 's.problems': '主要问题',
    's.open': '未办结问题点位', 's.plans': '一河一策与四张清单', 'none': '无',
    'lv.city': '市级', 'lv.county': '县级', 'lv.township': '乡级', 'lv.village': '村级',
    'c.level': '层级', 'c.reach': '河段', 'c.length': '长度（km）', 'c.chiefs': '河长',
    'sb.title': '河长公示牌', 'sb.number': '编号', 'sb.river': '河流', 'sb.reach': '河段', 'sb.installed': '安装日期',
    'sb.status': '印制状态', 'st.never_printed': '未印制', 'st.current': '最新', 'st.out_of_date': '已过期（需重印）',
    'sb.new': '新建公示牌', 'sb.edit': '编辑公示牌', 'sb.qr': '二维码', 'sb.a4': '打印 A4', 'sb.a3': '打印 A3',
    'sb.page': '公示页面', 'sb.reach_id': '河段', 'sb.lon': '经度（WGS84，选填）', 'sb.lat': '纬度（WGS84，选填）',
    'sb.note': '备注', 'sb.photo': '照片', 'sb.upload': '上传照片', 'sb.saved': '公示牌 {n} 已保存',
    'sb.actions': '操作', 'sb.printed': '已下载 {n} 的 {p} 版，印制记录已保存',
  },
  en: {
    'archive.title': 'River archive', 'river': 'River', 'on': 'As of', 'edit': 'Edit archive', 'xlsx': 'Export archive XLSX',
    'print': 'Print archive (A4)', 'saved': 'Archive saved', 'open': 'River archive',
    'f.code': 'River code', 'f.level': 'River level', 'f.class': 'Class', 'f.basin': 'Basin', 'f.source': 'Source',
    'f.mouth': 'Mouth', 'f.total': 'Length (km)', 'f.incity': 'Length in the city (km)', 'f.area': 'Catchment area (km²)',
    'f.counties': 'Counties crossed', 'f.townships': 'Townships crossed', 'f.problems': 'Main problems (one per line)',
    'f.zones': 'Water-function zones (per line: name, kind, start, end, target class 1-5)', 'f.note': 'Note',
    's.reaches': 'Reaches and chiefs', 's.sections': 'Monitoring sections', 's.zones': 'Water-function zones',
    's.problems': 'Main problems', 's.open': 'Open problem points', 's.plans': 'Plans and annual lists', 'none': 'None',
    'lv.city': 'City', 'lv.county': 'County', 'lv.township': 'Township', 'lv.village': 'Village',
    'c.level': 'Level', 'c.reach': 'Reach', 'c.length': 'Length (km)', 'c.chiefs': 'Chiefs',
    'sb.title': 'Signboards', 'sb.number': 'Number', 'sb.river': 'River', 'sb.reach': 'Reach', 'sb.installed': 'Installed',
    'sb.status': 'Print status', 'st.never_printed': 'Never printed', 'st.current': 'Current', 'st.out_of_date': 'Out of date (reprint)',
    'sb.new': 'New signboard', 'sb.edit': 'Edit signboard', 'sb.qr': 'QR code', 'sb.a4': 'Print A4', 'sb.a3': 'Print A3',
    'sb.page': 'Public page', 'sb.reach_id': 'Reach', 'sb.lon': 'Longitude (WGS84, optional)', 'sb.lat': 'Latitude (WGS84, optional)',
    'sb.note': 'Note', 'sb.photo': 'Photo', 'sb.upload': 'Upload photo', 'sb.saved': 'Signboard {n} saved',
    'sb.actions': 'Actions', 'sb.printed': 'Downloaded {p} of {n}; the printing is recorded',
  },
};

/** The text of ``key`` in the page language, with {name} placeholders filled from ``vars``. */
export function at(key, vars = {}) {
  const dict = DICT[getLang()] || DICT['zh-CN'];
  const text = dict[key] ?? DICT['zh-CN'][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k) => (vars[k] ?? `{${k}}`));
}
