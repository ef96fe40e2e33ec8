// web/src/report_model.js: reading the daily report JSON (spec/api.md) for the
// dashboard and the printable 日报: counters by path, people under control,
// and fetching one report (GET /reports/daily?date=&juris=[&version=]).
import { api, words } from './common.js';

words({
  'rep.hq': ['居家隔离医学观察', 'Home quarantine'],
  'rep.ci': ['集中隔离医学观察', 'Central isolation'],
  'rep.pd': ['出院后医学观察', 'Post-discharge observation'],
  'rep.awaiting': ['其中待入住', 'of which awaiting admission'],
  'rep.sus': ['疑似病例', 'Suspected cases'],
  'rep.conf': ['确诊病例', 'Confirmed cases'],
  'rep.current': ['现有', 'current'],
  'rep.new': ['新增', 'new'],
  'rep.ended': ['解除', 'ended'],
  'rep.excluded': ['排除', 'excluded'],
  'rep.discharged': ['出院', 'discharged'],
  'rep.mild': ['轻型', 'mild'],
  'rep.moderate': ['普通型', 'moderate'],
  'rep.severe': ['重型', 'severe'],
  'rep.critical': ['危重型', 'critical'],
  'rep.cp': ['体温监测点', 'Checkpoints'],
  'rep.checks': ['检测人次', 'checks'],
  'rep.fevers': ['发热', 'fevers'],
  'rep.noout': ['转诊待结果', 'referrals without outcome'],
  'rep.fac': ['隔离与救治场所', 'Facilities'],
  'rep.isolation_site': ['集中隔离点', 'Isolation sites'],
  'rep.fever_clinic': ['发热门诊', 'Fever clinics'],
  'rep.designated_hospital': ['定点医院', 'Designated hospitals'],
  'rep.in_use': ['启用', 'in use'],
  'rep.standby': ['备用', 'standby'],
  'rep.occupied': ['已占用', 'occupied'],
  'rep.free': ['空余', 'free'],
  'rep.alerts': ['预警', 'Alerts'],
  'rep.tasks': ['任务', 'Tasks'],
  'rep.req': ['外地协查', 'Assistance requests'],
  'rep.open': ['未办结', 'open'],
  'rep.overdue': ['超时', 'overdue'],
  'rep.under': ['在管人数', 'Under control'],
  'rep.under.def': ['在管人数 = 居家隔离 + 集中隔离 + 出院后观察（现有）', 'Under control = home quarantine + central isolation + post-discharge observation (current)'],
  'rep.missing': ['服务器还没有提供日报（GET /api/v1/reports/daily）。日报数字暂不能显示；其他板块照常。', 'The server does not offer the daily report yet (GET /api/v1/reports/daily); its numbers cannot be shown. Other panels work.'],
  'rep.live': ['当日实时计算（尚未生成正式日报）', 'computed live (no stored report for the day yet)'],
  'rep.version': ['第 {0} 版', 'version {0}'],
});

export const FAC_KINDS = ['isolation_site', 'fever_clinic', 'designated_hospital'];
export const SEVERITIES = ['mild', 'moderate', 'severe', 'critical'];

/** The value at a dotted path of a report node ("measures.home_quarantine.current"). */
export function at(node, path) {
  return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), node);
}

/** People under control at the end of the day (the map's colour). */
export function underControl(node) {
  const m = (node && node.measures) || {};
  return ['home_quarantine', 'central_isolation', 'post_discharge_observation']
    .reduce((s, k) => s + ((m[k] && m[k].current) || 0), 0);
}

/** Confirmed cases current: the four severities. */
export function confirmedCurrent(node) {
  const c = at(node, 'cases.confirmed.current') || {};
  return SEVERITIES.reduce((s, k) => s + (c[k] || 0), 0);
}

/** GET /reports/daily for a date and node (version optional). */
export function fetchReport(date, juris, version) {
  let q = '/reports/daily?date=' + encodeURIComponent(date);
  if (juris) q += '&juris=' + encodeURIComponent(juris);
  if (version) q += '&version=' + encodeURIComponent(version);
  return api('GET', q);
}
