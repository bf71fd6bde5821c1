// One table from the server's error ``code`` (docs/errors.md) to zh-CN / English text, so users
// never read a raw English message or "Failed to fetch" (issue 17). Unknown codes fall back
// to a sentence by HTTP status.
import { getLang } from './i18n.js';

const CODES = {
  // Sign-in and permissions
  not_authenticated: ['请先登录（登录已过期或账号已停用）', 'Please sign in (session expired or account disabled)'],
  invalid_token: ['登录已过期，请重新登录', 'Your session has expired; sign in again'],
  wrong_credentials: ['用户名或密码错误', 'Wrong user name or password'],
  account_locked: ['尝试次数过多，账号暂时锁定，请稍后再试', 'Too many attempts; the account is locked for a while'],
  forbidden: ['您没有权限执行此操作', 'You may not do this'],
  role_forbidden: ['您的角色没有此权限', 'Your role may not do this'],
  patrol_forbidden: ['只能为本人或所服务的河长上传巡河', 'You may upload patrols only for yourself or the chiefs you serve'],
  // General
  not_found: ['未找到（可能已被删除）', 'Not found (it may have been deleted)'],
  conflict: ['当前状态下不能这样操作，请刷新后重试', 'Not possible in the current state; refresh and retry'],
  rate_limited: ['操作太频繁，请稍后再试', 'Too many requests; try again shortly'],
  busy: ['服务器繁忙，请稍后重试', 'The server is busy; retry shortly'],
  database_unavailable: ['数据库暂时不可用，请稍后重试', 'The database is unavailable; retry shortly'],
  internal_error: ['服务器内部错误，已记录，请联系河长办', 'Internal server error (logged); contact the office'],
  too_large: ['文件太大', 'The file is too large'],
  unsupported_media: ['不支持的文件类型', 'Unsupported file type'],
  invalid_input: ['输入有误，请检查后重试', 'Invalid input; check and retry'],
  field_required: ['请填写必填项', 'A required field is missing'],
  invalid_date: ['日期格式不正确', 'Not a valid date'],
  date_out_of_range: ['日期超出允许范围', 'The date is out of range'],
  // Periods
  empty_period: ['起始日期不能晚于截止日期', 'The start must not be after the end'],
  period_too_short: ['公开数据的时段至少为 28 天', 'Public figures need a period of at least 28 days'],
  period_too_long: ['时段太长（最长约三年）', 'The period is too long (at most about three years)'],
  future_date: ['巡河日期不能晚于今天', 'A patrol cannot be dated after today'],
  // Tracks (patrol uploads)
  outside_city: ['轨迹完全在乐山市范围之外', 'The track lies wholly outside Leshan'],
  track_times_backwards: ['轨迹时间倒流（设备时间有误），无法作为巡河', 'The track\'s times run backwards (device clock wrong)'],
  track_time_out_of_range: ['轨迹时间不合理（早于 2000 年或晚于明天）', 'Track times are implausible (before 2000 or after tomorrow)'],
  no_track: ['文件中没有轨迹', 'The file holds no track'],
  no_valid_points: ['轨迹中没有有效的位置点', 'No valid positions in the track'],
  too_few_points: ['轨迹点太少', 'Too few positions in the track'],
  too_many_points: ['轨迹点太多', 'Too many positions in the track'],
  no_times_no_date: ['轨迹没有时间，请填写巡河日期', 'The track has no times: give the date'],
  waypoints_only: ['文件只有航点，没有轨迹', 'The file has waypoints only, no track'],
  route_only: ['文件只有规划路线，不是实际轨迹', 'The file has a planned route only, not a recorded track'],
  unsupported_format: ['不支持的轨迹格式（支持 GPX、KML、KMZ、GeoJSON、FIT）', 'Unsupported track format (GPX, KML, KMZ, GeoJSON, FIT)'],
  empty_file: ['文件是空的', 'The file is empty'],
  broken_xml: ['文件已损坏（XML 无法解析）', 'The file is damaged (XML)'],
  broken_json: ['文件已损坏（JSON 无法解析）', 'The file is damaged (JSON)'],
  broken_fit: ['FIT 文件已损坏', 'The FIT file is damaged'],
  broken_zip: ['KMZ 文件已损坏', 'The KMZ file is damaged'],
  // Problems and reports
  too_far_from_river: ['位置离登记河流太远', 'Too far from a registered river'],
  point_off_river: ['位置不在登记河流上', 'The point is not on a registered river'],
  bad_coordinates: ['坐标不正确', 'Invalid coordinates'],
  damaged_image: ['照片已损坏或不是图片', 'The photo is damaged or not an image'],
  too_many_pixels: ['照片像素太多，请压缩后再传', 'The photo has too many pixels; shrink it'],
  duplicate_photo: ['这张照片已经上传过', 'This photo was already sent'],
};

const STATUS = {
  400: ['请求有误', 'Bad request'], 401: CODES.not_authenticated, 403: CODES.forbidden, 404: CODES.not_found,
  409: CODES.conflict, 413: CODES.too_large, 415: CODES.unsupported_media, 422: CODES.invalid_input,
  429: CODES.rate_limited, 500: CODES.internal_error, 503: CODES.busy,
};
const NETWORK = ['网络不可用：请检查信号后重试（已记录的巡河保存在本机）', 'Network unavailable: check the signal and retry (recorded patrols are kept on this device)'];

function pick(pair) { return getLang() === 'en' ? pair[1] : pair[0]; }

/** The text of a server error ``code`` (or null if the table does not know it). */
export function codeText(code) { return CODES[code] ? pick(CODES[code]) : null; }

/** User-facing text of anything thrown by api() or fetch(): never raw English from the wire. */
export function messageOf(err) {
  if (err instanceof TypeError || (typeof navigator !== 'undefined' && !navigator.onLine)) return pick(NETWORK);
  const body = err?.body ?? err;
  const known = body && typeof body === 'object' ? codeText(body.code) : null;
  if (known) return known;
  if (err?.status && STATUS[err.status]) return pick(STATUS[err.status]);
  if (err?.status >= 500) return pick(CODES.internal_error);
  return pick(STATUS[400]);
}

export const ERROR_CODES = Object.keys(CODES);
