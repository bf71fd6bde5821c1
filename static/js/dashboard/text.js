// Words of the 驾驶舱 page, zh-CN first, English when the map page's language is English.
import { getLang } from '../i18n.js';

const DICT = {
  'zh-CN': {
    title: '乐山市河湖长制工作通报', period: '统计时段：{from} 至 {to}', generated: '生成时间：{at}',
    staff: '工作人员版', public: '公开版', loading: '加载中…', failed: '无法加载统计：{msg}',
    'kpi.problems': '问题总数', 'kpi.closed': '已销号', 'kpi.rate': '销号率', 'kpi.median': '办结中位天数',
    'kpi.overdue': '逾期问题', 'kpi.reports': '公众举报', 'kpi.reports_closed': '举报已办结',
    'kpi.neighbors': '相邻市', 'kpi.shared': '跨界河流', 'kpi.patrols': '巡河次数',
    'chart.county_cov': '各区县巡河覆盖率', 'chart.river_cov': '各河流巡河覆盖率（前 15 条）',
    'chart.months': '各月巡河次数', 'chart.state': '问题按状态', 'chart.category': '问题按类别',
    'chart.county_pb': '各区县问题与逾期', 'chart.compliance': '河长履职（按层级）',
    'series.problems': '问题', 'series.overdue': '逾期', 'series.officials': '应履职', 'series.behind': '未达标',
    'series.patrols': '巡河次数', 'series.coverage': '覆盖率',
    behind: '履职落后（{year} 年）', 'behind.name': '姓名', 'behind.level': '层级', 'behind.done': '已巡/应巡', 'behind.missing': '未达标项',
    'level.city': '市级', 'level.county': '县级', 'level.township': '乡级', 'level.village': '村级',
    'list.title': '明细：{n} 条', 'list.total': '共 {n} 条', 'list.value': '数值：{v}', 'days': '{n} 天',
    'range.bad': '起始日期不能晚于截止日期', 'range.long': '时段最长约三年', 'none': '无',
    'note.links': '点击任一数字或图形可查看其明细（数据接口与筛选条件）。',
  },
  en: {
    title: 'Leshan river chief report', period: 'Period: {from} to {to}', generated: 'Generated: {at}',
    staff: 'staff edition', public: 'public edition', loading: 'Loading…', failed: 'Could not load the figures: {msg}',
    'kpi.problems': 'Problems', 'kpi.closed': 'Closed', 'kpi.rate': 'Closure rate', 'kpi.median': 'Median days to close',
    'kpi.overdue': 'Overdue', 'kpi.reports': 'Public reports', 'kpi.reports_closed': 'Reports closed',
    'kpi.neighbors': 'Neighbour cities', 'kpi.shared': 'Cross-boundary rivers', 'kpi.patrols': 'Patrols',
    'chart.county_cov': 'Patrol coverage by county', 'chart.river_cov': 'Patrol coverage by river (top 15)',
    'chart.months': 'Patrols by month', 'chart.state': 'Problems by state', 'chart.category': 'Problems by category',
    'chart.county_pb': 'Problems and overdue by county', 'chart.compliance': 'Chief compliance by level',
    'series.problems': 'Problems', 'series.overdue': 'Overdue', 'series.officials': 'With a duty', 'series.behind': 'Behind',
    'series.patrols': 'Patrols', 'series.coverage': 'Coverage',
    behind: 'Behind on patrols ({year})', 'behind.name': 'Name', 'behind.level': 'Level', 'behind.done': 'Done/owed', 'behind.missing': 'Missing',
    'level.city': 'city', 'level.county': 'county', 'level.township': 'township', 'level.village': 'village',
    'list.title': 'Details: {n}', 'list.total': '{n} in all', 'list.value': 'Value: {v}', 'days': '{n} days',
    'range.bad': 'The start must not be after the end', 'range.long': 'At most about three years', 'none': 'none',
    'note.links': 'Click any number or chart to see the list behind it (API and filter).',
  },
};

export function tx(key, vars = {}) {
  const text = DICT[getLang()]?.[key] ?? DICT['zh-CN'][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}
