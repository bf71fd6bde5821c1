// UI text of the reaches modules (zh-CN default, English), kept beside them so the shared
// dictionary in ../i18n.js needs no edit; ``tr`` follows the page's language switch.
import { getLang } from '../i18n.js';

const DICT = {
  'zh-CN': {
    'layer': '河段（分级）',
    'level.city': '市级', 'level.county': '县级', 'level.township': '乡级', 'level.village': '村级',
    'bank.left': '左岸', 'bank.right': '右岸', 'bank.both': '两岸',
    'chain.title': '谁负责这里', 'chain.on': '日期', 'chain.river': '河流', 'chain.where': '位置',
    'chain.where.v': '距河道 {d} 米，{side}，里程 {m} 公里', 'chain.none': '此处不在登记河流附近',
    'chain.nochief': '暂无河长', 'chain.units': '联络员单位', 'chain.open_river': '河流详情',
    'chain.coarse': '注意：该河流数据为1:400万比例尺，河道线偏差约1–2公里（判定容差 {t} 米）。',
    'side.left': '左岸（面向下游）', 'side.right': '右岸（面向下游）', 'side.none': '河道线上',
    'screen.title': '河段管理', 'screen.open': '河段管理', 'river': '河流', 'level': '级别', 'code': '编码',
    'name': '名称', 'from': '起点里程（米）', 'to': '终点里程（米）', 'length': '长度（公里）', 'bank': '岸别',
    'chiefs': '河长', 'actions': '操作', 'cut': '切分河段', 'cut.title': '切分乡级或村级河段',
    'township': '乡镇（街道）', 'village': '村名', 'valid_from': '生效日期', 'valid_to': '截止日期',
    'pick': '在地图上点选起止两点', 'picking': '请在地图上点击河段的{n}端（将吸附到河道）',
    'picked': '已选：{a} – {b} 米', 'ok': '确定', 'cancel': '取消', 'assign': '任命河长',
    'assign.title': '任命 {name} 的河长', 'official': '河长', 'official.new': '新建：填写姓名',
    'official.name': '姓名', 'official.title': '职务', 'end': '结束河段', 'end.title': '结束 {name}',
    'done.cut': '已切分 {code} {name}', 'done.assign': '已任命 {name}', 'done.end': '{name} 已结束',
    'count': '共 {n} 个河段', 'start': '起', 'endpt': '止', 'ended': '已结束',
  },
  en: {
    'layer': 'Reaches by level',
    'level.city': 'City', 'level.county': 'County', 'level.township': 'Township', 'level.village': 'Village',
    'bank.left': 'left bank', 'bank.right': 'right bank', 'bank.both': 'both banks',
    'chain.title': 'Who is responsible here', 'chain.on': 'On', 'chain.river': 'River', 'chain.where': 'Where',
    'chain.where.v': '{d} m from the line, {side}, at {m} km', 'chain.none': 'Not near a registered river',
    'chain.nochief': 'No chief', 'chain.units': 'Liaison units', 'chain.open_river': 'River details',
    'chain.coarse': 'Note: this river comes from 1:4M data, 1-2 km off the channel (tolerance {t} m).',
    'side.left': 'left bank (facing downstream)', 'side.right': 'right bank (facing downstream)', 'side.none': 'on the line',
    'screen.title': 'Reaches', 'screen.open': 'Reaches', 'river': 'River', 'level': 'Level', 'code': 'Code',
    'name': 'Name', 'from': 'From (m)', 'to': 'To (m)', 'length': 'Length (km)', 'bank': 'Bank',
    'chiefs': 'Chiefs', 'actions': 'Actions', 'cut': 'Cut a reach', 'cut.title': 'Cut a township or village reach',
    'township': 'Township', 'village': 'Village', 'valid_from': 'Valid from', 'valid_to': 'Last day',
    'pick': 'Pick both ends on the map', 'picking': 'Click the {n} end of the reach on the map (snapped to the river)',
    'picked': 'Picked: {a} – {b} m', 'ok': 'OK', 'cancel': 'Cancel', 'assign': 'Appoint chief',
    'assign.title': 'Appoint the chief of {name}', 'official': 'Chief', 'official.new': 'New: give a name',
    'official.name': 'Name', 'official.title': 'Title', 'end': 'End reach', 'end.title': 'End {name}',
    'done.cut': 'Cut {code} {name}', 'done.assign': 'Appointed {name}', 'done.end': '{name} ended',
    'count': '{n} reaches', 'start': 'upstream', 'endpt': 'downstream', 'ended': 'ended',
  },
};

/** Translate ``key`` of this module's dictionary, filling {name} placeholders. */
export function tr(key, vars = {}) {
  const lang = getLang() === 'en' ? 'en' : 'zh-CN';
  const text = DICT[lang][key] ?? DICT['zh-CN'][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

export const LEVEL_COLOURS = { city: '#6a3d9a', county: '#8e44ad', township: '#e67e22', village: '#16a085' };
