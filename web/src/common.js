// web/src/common.js: what every page shares: the two languages, the API
// client (session cookie + CSRF header), errors in plain words, small DOM
// helpers and the top bar. Only documented /api/v1/ routes are used.
import './style.css';

// ---- language ----
const LANG_KEY = 'eg_lang';
let lang = (() => {
  try { return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh'; } catch { return 'zh'; }
})();
const DICT = {};
/** Add [zh, en] pairs to the dictionary. */
export function words(d) { Object.assign(DICT, d); }
/** The text of `key` in the current language; {0}, {1} replaced by args. */
export function t(key, ...args) {
  const e = DICT[key];
  let s = e ? (lang === 'en' ? e[1] : e[0]) : key;
  args.forEach((a, i) => { s = s.split('{' + i + '}').join(String(a)); });
  return s;
}
export function currentLang() { return lang; }
export function setLang(l) {
  lang = l === 'en' ? 'en' : 'zh';
  try { localStorage.setItem(LANG_KEY, lang); } catch { /* private mode */ }
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
}
document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';

words({
  'app': ['EpiGrid 疫情防控指挥系统', 'EpiGrid epidemic command'],
  'lang.switch': ['English', '中文'],
  'logout': ['退出', 'Log out'],
  'nav.dashboard': ['指挥大屏', 'Dashboard'],
  'nav.report': ['日报', 'Daily report'],
  'nav.field': ['网格工作', 'Field work'],
  'nav.checkpoint': ['监测点', 'Checkpoint'],
  'role.admin': ['管理员', 'administrator'],
  'role.commander': ['指挥长', 'commander'],
  'role.township_officer': ['乡镇干部', 'township officer'],
  'role.grid_worker': ['网格员', 'grid worker'],
  'role.checkpoint_staff': ['监测点人员', 'checkpoint staff'],
  'role.clinician': ['医生', 'clinician'],
  'role.analyst': ['疾控分析员', 'analyst'],
  'err.network': ['连不上服务器。请检查网络后再试一次，您填写的内容还在。', 'Cannot reach the server. Check the network and try again; what you typed is kept.'],
  'err.login': ['登录已失效，请重新登录。', 'Your login has expired; please log in again.'],
  'err.forbidden': ['您的账号不能做这件事。如需办理，请联系上级。', 'Your account may not do this. Ask your supervisor.'],
  'err.csrf': ['页面已过期，请刷新页面后再试。', 'The page is out of date; reload it and try again.'],
  'err.notfound': ['找不到这条记录，或它不在您负责的范围内。', 'Not found, or not in the area you are responsible for.'],
  'err.noroute': ['服务器还没有开通这项功能。', 'The server does not offer this yet.'],
  'err.conflict': ['现在不能这样办：{0}', 'This cannot be done now: {0}'],
  'err.input': ['填写有误：{0}', 'Please check: {0}'],
  'err.toolong': ['填写的内容太长了。', 'What you typed is too long.'],
  'err.slow': ['操作太频繁了，请过 {0} 分钟再试。', 'Too many tries; wait {0} minutes and try again.'],
  'err.server': ['服务器暂时没有保存成功，请稍后再试，您填写的内容还在。', 'The server could not save this now; try again later. What you typed is kept.'],
  'err.unknown': ['出了点问题，请稍后再试。', 'Something went wrong; try again later.'],
  'field.temperature_c': ['体温', 'temperature'],
  'field.taken_at': ['测量时间', 'time taken'],
  'field.symptoms': ['症状', 'symptoms'],
  'field.person_id': ['人员', 'person'],
  'field.outcome': ['核查结果', 'outcome'],
  'field.juris': ['新地址（区划代码）', 'new address (division code)'],
  'field.username': ['用户名', 'user name'],
  'field.password': ['密码', 'password'],
  'field.date': ['日期', 'date'],
  'field.checked': ['检测人数', 'people checked'],
  'field.fevers': ['发热人数', 'fevers'],
  'field.hour_start': ['时段', 'hour'],
  'field.id_no': ['身份证号', 'ID number'],
  'field.note': ['备注', 'note'],
  'loading': ['加载中…', 'Loading…'],
  'none': ['暂无', 'None'],
  'save': ['提交', 'Submit'],
  'saved': ['已保存', 'Saved'],
  'sym.fever': ['发热', 'fever'],
  'sym.dry_cough': ['干咳', 'dry cough'],
  'sym.fatigue': ['乏力', 'fatigue'],
  'sym.sore_throat': ['咽痛', 'sore throat'],
  'sym.shortness_of_breath': ['呼吸困难', 'shortness of breath'],
  'sym.chest_tightness': ['胸闷', 'chest tightness'],
  'sym.diarrhoea': ['腹泻', 'diarrhoea'],
  'sym.muscle_ache': ['肌肉酸痛', 'muscle ache'],
  'measure.home_quarantine': ['居家隔离', 'home quarantine'],
  'measure.central_isolation': ['集中隔离', 'central isolation'],
  'measure.post_discharge_observation': ['出院后观察', 'post-discharge observation'],
  'measure.suspected': ['疑似', 'suspected'],
  'measure.confirmed': ['确诊', 'confirmed'],
  'alert.fever': ['发热', 'fever'],
  'alert.red_flag': ['危险症状', 'red-flag symptom'],
  'alert.missed_reading': ['漏报体温', 'missed reading'],
  'alert.team_incomplete': ['专班不全', 'team incomplete'],
  'alert.admission_overdue': ['入住超时', 'admission overdue'],
  'alert.referral_overdue': ['转诊无结果', 'referral without outcome'],
  'state.open': ['待处理', 'open'],
  'state.acknowledged': ['已签收', 'acknowledged'],
  'state.resolved': ['已解决', 'resolved'],
  'overdue': ['已超时', 'overdue'],
});

export const SYMPTOMS = ['fever', 'dry_cough', 'fatigue', 'sore_throat', 'shortness_of_breath',
  'chest_tightness', 'diarrhoea', 'muscle_ache'];

// ---- DOM ----
/** Make an element: h('div', {class:'x', onclick: fn, 'data-k': 'a'}, child, 'text', ...). */
export function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of kids.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
/** Replace the children of `el`. */
export function fill(el, ...kids) { el.replaceChildren(); for (const c of kids.flat(Infinity)) if (c != null && c !== false) el.append(c instanceof Node ? c : String(c)); return el; }
export const $ = (sel, root = document) => root.querySelector(sel);

// ---- API ----
export class ApiError extends Error {
  constructor(status, code, message, field, retryAfter) {
    super(message || code);
    this.status = status; this.code = code; this.field = field; this.retryAfter = retryAfter;
  }
  /** The route itself does not exist on this server (a capability not built yet). */
  get missingRoute() { return this.status === 404 && /no such route/.test(this.message || ''); }
}

let csrf = null;
/** Call /api/v1 + path; returns the parsed JSON; throws ApiError. */
export async function api(method, path, body) {
  let res;
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  try {
    res = await fetch('/api/v1' + path, { method, headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, 'network', String(e), null);
  }
  let j = null;
  try { j = await res.json(); } catch { /* not JSON */ }
  if (!res.ok) {
    const er = (j && j.error) || {};
    throw new ApiError(res.status, er.code || 'http_' + res.status, er.message || '', er.field || null,
      res.headers.get('Retry-After'));
  }
  return j;
}
export function setCsrf(c) { csrf = c; }

/** An error in words a grid worker understands. */
export function explain(err) {
  if (!(err instanceof ApiError)) return t('err.unknown');
  const fieldName = err.field ? (DICT['field.' + err.field] ? t('field.' + err.field) : err.field) : '';
  switch (err.status) {
    case 0: return t('err.network');
    case 401: return t('err.login');
    case 403: return err.code === 'csrf' ? t('err.csrf') : t('err.forbidden');
    case 404: return err.missingRoute ? t('err.noroute') : t('err.notfound');
    case 409: return t('err.conflict', err.message);
    case 413: return t('err.toolong');
    case 400: case 422: return t('err.input', fieldName ? fieldName + (err.message ? '（' + err.message + '）' : '') : err.message);
    case 429: return t('err.slow', Math.max(1, Math.ceil((Number(err.retryAfter) || 60) / 60)));
    default: return err.status >= 500 ? t('err.server') : t('err.unknown');
  }
}

/** The session's user (and its CSRF token); to the login page when there is none. */
export async function session() {
  try {
    const s = await api('GET', '/auth/session');
    setCsrf(s.csrf);
    return s.user;
  } catch (e) {
    if (e.status === 401) {
      location.href = '/login.html?next=' + encodeURIComponent(location.pathname + location.search + location.hash);
      return new Promise(() => {});
    }
    throw e;
  }
}

export async function logout() {
  try { await api('POST', '/auth/logout', {}); } catch { /* gone anyway */ }
  location.href = '/login.html';
}

/** The home page of a role. */
export function homeOf(role) {
  return { commander: '/dashboard.html', analyst: '/dashboard.html', admin: '/dashboard.html',
    grid_worker: '/field.html', township_officer: '/field.html', clinician: '/field.html',
    checkpoint_staff: '/checkpoint.html' }[role] || '/field.html';
}

// ---- dates (China Standard Time) ----
export function cstNow() { return new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 16).replace('T', ' '); }
export function cstToday() { return cstNow().slice(0, 10); }
export function addDays(d, n) {
  const x = new Date(d + 'T00:00:00Z'); x.setUTCDate(x.getUTCDate() + n); return x.toISOString().slice(0, 10);
}
export function qs(name) { return new URLSearchParams(location.search).get(name); }

/** The top bar: title, navigation for the role, user, language switch, logout. */
export function topbar(titleKey, user, onLang) {
  const nav = [];
  if (user) {
    const r = user.role;
    if (['commander', 'analyst', 'admin'].includes(r)) nav.push(['/dashboard.html', 'nav.dashboard']);
    if (['commander', 'analyst', 'admin', 'township_officer'].includes(r)) nav.push(['/report.html', 'nav.report']);
    if (['grid_worker', 'township_officer', 'clinician'].includes(r)) nav.push(['/field.html', 'nav.field']);
    if (r === 'checkpoint_staff') nav.push(['/checkpoint.html', 'nav.checkpoint']);
  }
  return h('header', { class: 'topbar' },
    h('h1', { text: t(titleKey) }),
    h('nav', {}, nav.map(([href, k]) => h('a', { href }, t(k)))),
    h('span', { class: 'spacer' }),
    user && h('span', { class: 'who' }, user.name, ' · ', t('role.' + user.role),
      user.juris && user.juris.name ? ' · ' + user.juris.name : ''),
    h('button', { class: 'lang', type: 'button', onclick: () => { setLang(lang === 'en' ? 'zh' : 'en'); onLang(); } }, t('lang.switch')),
    user && h('button', { class: 'link', type: 'button', onclick: logout }, t('logout')));
}

/** A message line (error or note). */
export function msg(kind, text) { return h('p', { class: 'msg ' + kind, role: kind === 'error' ? 'alert' : 'status' }, text); }
