// web/src/pages/dashboard.js: the command dashboard (指挥大屏).
// - the daily report's numbers for any date and node (GET /reports/daily);
// - Tonghua's counties (bundled GeoJSON) coloured by people under control;
//   a click drills county → township → village and every panel follows;
//   below the county (no boundaries exist) a ranked list stands in; Meihekou
//   (220581, administered by the province) is grey, labelled 省直管, not clickable;
// - the epidemic curve from the daily reports (control orders and cases
//   registered here), Rt of the published series (GET /analysis/rt) and the
//   projection fan of Tonghua's published series (GET /analysis/projection),
//   each naming its series;
// - facility occupancy with standby and admissions awaiting / overdue;
// - open and overdue alerts and tasks (GET /alerts, GET /tasks).
// A panel whose route the server lacks says so; no number is made up.
import * as echarts from 'echarts/core';
import { MapChart, LineChart } from 'echarts/charts';
import { TooltipComponent, GridComponent, VisualMapComponent, LegendComponent, MarkLineComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import geojson from '../../../data/real/tonghua_220500_full.geojson';
import { api, explain, h, fill, $, t, words, topbar, session, qs, cstToday, addDays, currentLang } from '../common.js';
import { fetchReport, at, underControl, confirmedCurrent, FAC_KINDS } from '../report_model.js';

echarts.use([MapChart, LineChart, TooltipComponent, GridComponent, VisualMapComponent, LegendComponent, MarkLineComponent, CanvasRenderer]);
echarts.registerMap('tonghua', geojson);

const MEIHEKOU = '220581';
words({
  'd.title': ['通化市疫情防控指挥大屏', 'Tonghua epidemic command dashboard'],
  'd.date': ['日期', 'Date'],
  'd.report': ['打印日报', 'Printable report'],
  'd.map': ['各县（市、区）在管人数', 'Under control by county'],
  'd.ranked': ['下级排名（在管人数）', 'Units below, ranked (under control)'],
  'd.nomap': ['乡镇、村没有边界图，用排名列表代替地图。', 'Townships and villages have no boundaries; the ranked list stands in for the map.'],
  'd.provincial': ['省直管', 'province-administered'],
  'd.provincial.tip': ['梅河口市由吉林省直管，不在通化市统计口径内。', 'Meihekou is administered by Jilin province and is not counted in Tonghua.'],
  'd.curve': ['疫情曲线（近 14 天）', 'Epidemic curve (14 days)'],
  'd.curve.series': ['序列：本系统日报逐日数字（管控令与病例登记），不是公开发布的病例序列。', 'Series: this system\'s daily reports (control orders and cases registered here), not the published case series.'],
  'd.rt': ['实时再生数 Rt', 'Reproduction number Rt'],
  'd.rt.series': ['序列：{0}，公开发布的累计确诊按日新增（官方通报）；7 天滑动窗口，代际间隔 均值 7.5 天、标准差 3.4 天；阴影为 95% 可信区间。公开数据只有市、省级，不随下钻变化。', 'Series: {0}, daily new from the published cumulative confirmed counts; 7-day windows, serial interval mean 7.5 d, sd 3.4 d; band: 95% credible interval. Published data exist only for the city and province, so this does not follow the drill-down.'],
  'd.proj': ['未来 14 天新增确诊预测', 'Projection: new confirmed, 14 days'],
  'd.proj.series': ['序列：{0}（公开发布的病例序列），R 取吉林省最后一个窗口的后验（均值 {1}，标准差 {2}），{3} 条模拟轨迹；扇形为 50% 与 90% 区间。不是本系统的管控令数字。', 'Series: {0} (published case series), R from the posterior of Jilin\'s last window (mean {1}, sd {2}), {3} trajectories; fan: 50% and 90% intervals. Not the control orders counted here.'],
  'd.p.none': ['{0} 天内无新增确诊的概率', 'P(no new confirmed case in {0} days)'],
  'd.p.more': ['新增超过 {0} 例的概率', 'P(more than {0} new cases)'],
  'd.p.beds': ['定点医院床位不够用的概率（启用 / 含备用）', 'P(hospital beds exceeded) (in use / with standby)'],
  'd.median': ['中位数', 'median'],
  'd.fac': ['隔离与救治场所', 'Facilities'],
  'd.fac.rate': ['占用率', 'occupancy'],
  'd.awaiting': ['待入住（集中隔离）', 'Awaiting admission'],
  'd.adm.overdue': ['入住超时', 'Admission overdue'],
  'd.fac.list': ['各场所', 'Each facility'],
  'd.alerts': ['预警', 'Alerts'],
  'd.tasks': ['任务', 'Tasks'],
  'd.open': ['未办结', 'open'],
  'd.overdue': ['超时', 'overdue'],
  'd.latest': ['最新未办结', 'latest open'],
  'd.under': ['在管人数', 'Under control'],
  'd.newconf': ['新增确诊', 'New confirmed'],
  'd.newsus': ['新增疑似', 'New suspected'],
  'd.refresh': ['每分钟自动刷新', 'refreshes every minute'],
  'd.noreport': ['无日报数据', 'no report data'],
});

let user = null;
const st = {
  date: qs('date') || '',
  path: [],            // [{code, name, level}] from the user's node down
  rep: null, repErr: null,
  cityRep: null,
  alerts: null, alertsErr: null, tasks: null, tasksErr: null,
  admOverdue: null, facs: null, facsErr: null,
  curve: null, curveErr: null,
  rt: null, rtErr: null, proj: null, projErr: null,
};
const charts = {};
const node = () => st.path[st.path.length - 1];

// ---- data ----
async function loadReport() {
  try { st.rep = await fetchReport(st.date, node().code); st.repErr = null; } catch (e) {
    st.rep = null; st.repErr = e.missingRoute ? t('rep.missing') : explain(e);
  }
  if (st.path.length === 1) st.cityRep = st.rep;
  else if (!st.cityRep || st.cityRep.date !== st.date) {
    try { st.cityRep = await fetchReport(st.date, st.path[0].code); } catch { st.cityRep = null; }
  }
}

async function loadLists() {
  const j = encodeURIComponent(node().code);
  const get = async (key, path, f = (x) => x.items) => {
    try { st[key] = f(await api('GET', path)); st[key + 'Err'] = null; } catch (e) { st[key] = null; st[key + 'Err'] = explain(e); }
  };
  await Promise.all([
    // fevers and red flags first (newest first), then the other open alerts
    (async () => {
      try {
        const [fe, rf, all] = await Promise.all(['&kind=fever', '&kind=red_flag', ''].map((k) => api('GET', '/alerts?state=open&limit=100' + k + '&juris=' + j)));
        const seen = new Set();
        st.alerts = [...fe.items, ...rf.items].sort((a, b) => (b.created_at || '').localeCompare(a.created_at || ''))
          .concat(all.items).filter((a) => !seen.has(a.id) && seen.add(a.id));
        st.alertsErr = null;
      } catch (e) { st.alerts = null; st.alertsErr = explain(e); }
    })(),
    get('tasks', '/tasks?state=open&limit=100&juris=' + j),
    get('admOverdue', '/alerts?state=open&kind=admission_overdue&limit=100&juris=' + j),
    get('facs', '/facilities?juris=' + j, (x) => x.items || x),
  ]);
}

async function loadCurve() {
  const dates = [];
  for (let i = 13; i >= 0; i--) dates.push(addDays(st.date, -i));
  try {
    const reps = await Promise.all(dates.map((d) => fetchReport(d, node().code).catch((e) => {
      if (e.missingRoute || e.status === 401) throw e;
      return null;   // a date the server cannot report (before the data): a gap
    })));
    st.curve = { dates, reps }; st.curveErr = null;
  } catch (e) { st.curve = null; st.curveErr = e.missingRoute ? t('rep.missing') : explain(e); }
}

let analysisDate = null;
async function loadAnalysis() {
  if (analysisDate === st.date) return;
  analysisDate = st.date;
  try {
    st.rt = await api('GET', '/analysis/rt?series=jilin&to=' + st.date); st.rtErr = null;
  } catch (e) { st.rt = null; st.rtErr = explain(e) + (e.message ? '（' + e.message + '）' : ''); }
  const last = st.rt && st.rt.windows.filter((w) => w.mean != null).pop();
  if (!last) { st.proj = null; st.projErr = st.projErr || st.rtErr; return; }
  let q = '/analysis/projection?series=tonghua&as_of=' + st.date + '&days=14&n_sim=100000&seed=20200213&more_than=5' +
    '&r_mean=' + last.mean + '&r_sd=' + last.std;
  const hosp = st.cityRep && at(st.cityRep, 'facilities.designated_hospital');
  if (hosp && hosp.in_use > 0) q += '&capacity=' + hosp.in_use + '&standby=' + (hosp.standby || 0);
  try { st.proj = await api('GET', q); st.proj.r_used = last; st.projErr = null; } catch (e) {
    st.proj = null; st.projErr = explain(e) + (e.message ? '（' + e.message + '）' : '');
  }
}

async function refresh(all) {
  await Promise.all([loadReport().then(loadCurve), loadLists(), all ? loadAnalysis() : null]);
  render();
}

function drill(to) {
  st.path = to;
  const p = new URLSearchParams(location.search);
  p.set('date', st.date);
  p.set('juris', node().code);
  history.replaceState(null, '', '?' + p.toString());
  render(true);
  refresh(false);
}

// ---- panels ----
function kpi(label, path, subs = [], alarm = false) {
  const r = st.rep;
  const v = path === 'under' ? underControl(r) : path === 'cases.confirmed.current' ? confirmedCurrent(r) : at(r, path);
  return h('div', { class: 'kpi' + (alarm && v > 0 ? ' alarm' : '') },
    h('div', { class: 'label' }, label),
    h('div', { class: 'num', 'data-k': path }, v == null ? '—' : String(v)),
    subs.length ? h('div', { class: 'sub' }, subs.map(([l, p], i) => [i ? ' · ' : '', l, ' ', h('b', { 'data-k': p }, String(at(r, p) ?? '—'))])) : null);
}

function kpis() {
  if (!st.rep) return st.repErr ? h('p', { class: 'msg note', id: 'report-missing' }, st.repErr) : h('p', { class: 'loading' }, t('loading'));
  const r = st.rep;
  return h('div', {},
    h('p', { class: 'muted' }, r.juris.name, ' · ', r.date, ' · ', r.live ? t('rep.live') : t('rep.version', r.version), ' · ', t('rep.under.def')),
    h('div', { class: 'kpis', id: 'kpis' },
      kpi(t('d.under'), 'under'),
      kpi(t('rep.hq'), 'measures.home_quarantine.current', [[t('rep.new'), 'measures.home_quarantine.new'], [t('rep.ended'), 'measures.home_quarantine.ended']]),
      kpi(t('rep.ci'), 'measures.central_isolation.current', [[t('rep.new'), 'measures.central_isolation.new'], [t('rep.ended'), 'measures.central_isolation.ended'], [t('rep.awaiting'), 'measures.central_isolation.awaiting_admission']]),
      kpi(t('rep.pd'), 'measures.post_discharge_observation.current', [[t('rep.new'), 'measures.post_discharge_observation.new'], [t('rep.ended'), 'measures.post_discharge_observation.ended']]),
      kpi(t('rep.sus'), 'cases.suspected.current', [[t('rep.new'), 'cases.suspected.new'], [t('rep.excluded'), 'cases.suspected.excluded']], true),
      kpi(t('rep.conf'), 'cases.confirmed.current', [[t('rep.new'), 'cases.confirmed.new'], [t('rep.discharged'), 'cases.confirmed.discharged'],
        [t('rep.mild'), 'cases.confirmed.current.mild'], [t('rep.moderate'), 'cases.confirmed.current.moderate'], [t('rep.severe'), 'cases.confirmed.current.severe'], [t('rep.critical'), 'cases.confirmed.current.critical']], true),
      kpi(t('rep.cp') + ' · ' + t('rep.checks'), 'checkpoints.checks', [[t('rep.fevers'), 'checkpoints.fevers'], [t('rep.noout'), 'checkpoints.referrals_without_outcome']]),
      kpi(t('rep.alerts') + ' · ' + t('rep.open'), 'alerts.open', [[t('rep.overdue'), 'alerts.overdue']], true),
      kpi(t('rep.tasks') + ' · ' + t('rep.open'), 'tasks.open', [[t('rep.overdue'), 'tasks.overdue']], true),
      kpi(t('rep.req') + ' · ' + t('rep.open'), 'assistance_requests.open', [[t('rep.new'), 'assistance_requests.new']])));
}

function crumbs() {
  return h('div', { class: 'crumbs', id: 'crumbs' }, st.path.map((n, i) => i === st.path.length - 1
    ? h('span', { 'data-code': n.code }, n.name)
    : [h('a', { href: '#', 'data-code': n.code, onclick: (e) => { e.preventDefault(); drill(st.path.slice(0, i + 1)); } }, n.name), ' › ']));
}

function ranked() {
  const r = st.rep;
  if (!r) return h('p', { class: 'msg note' }, st.repErr || t('loading'));
  const kids = (r.children || []).map((c) => ({ c, v: underControl(c) })).sort((a, b) => b.v - a.v);
  const max = Math.max(1, ...kids.map((k) => k.v));
  const canDrill = (c) => ['county', 'township', 'village'].includes(c.juris.level) && node().level !== 'village';
  return h('ol', { class: 'items', id: 'ranked' }, kids.length ? kids.map(({ c, v }) => h('li', { 'data-code': c.juris.code },
    h('div', { class: 'row' },
      canDrill(c) ? h('a', { href: '#', onclick: (e) => { e.preventDefault(); drill([...st.path, { code: c.juris.code, name: c.juris.name, level: c.juris.level }]); } }, c.juris.name)
        : h('span', {}, c.juris.name),
      h('span', { class: 'spacer', style: 'flex:1' }),
      h('b', {}, String(v))),
    h('div', { class: 'bar' }, h('i', { style: 'width:' + (100 * v / max).toFixed(1) + '%' })))) : h('li', { class: 'muted' }, t('none')));
}

function mapOption() {
  const city = st.cityRep;
  const byCode = {};
  for (const c of (city && city.children) || []) byCode[c.juris.code.slice(0, 6)] = c;
  const sel = st.path[1] && st.path[1].code.slice(0, 6);
  const data = geojson.features.map((f) => {
    const code = String(f.properties.adcode);
    const name = f.properties.name;
    if (code === MEIHEKOU) {
      return { name, code, value: NaN, provincial: true, itemStyle: { areaColor: '#5b6470', borderColor: '#8a939e' },
        label: { show: true, formatter: name + '\n' + t('d.provincial'), color: '#d0d4d9' },
        emphasis: { disabled: true }, select: { disabled: true } };
    }
    const c = byCode[code];
    return { name, code, value: c ? underControl(c) : NaN,
      itemStyle: sel === code ? { borderColor: '#ffd54f', borderWidth: 3 } : undefined };
  });
  const max = Math.max(1, ...data.filter((d) => !d.provincial && Number.isFinite(d.value)).map((d) => d.value));
  return {
    tooltip: { trigger: 'item', formatter: (p) => p.data && p.data.provincial ? p.name + '（' + t('d.provincial') + '）<br>' + t('d.provincial.tip')
      : p.name + '<br>' + t('d.under') + '：' + (Number.isFinite(p.value) ? p.value : t('d.noreport')) },
    visualMap: { min: 0, max, left: 10, bottom: 10, calculable: false, text: [String(max), '0'], textStyle: { color: '#dbe6f3' },
      inRange: { color: ['#fff3e0', '#ffb74d', '#e65100', '#8b1a1a'] }, seriesIndex: 0 },
    series: [{ type: 'map', map: 'tonghua', roam: false, selectedMode: false, data, layoutCenter: ['50%', '50%'], layoutSize: '98%',
      label: { show: true, color: '#fff', textBorderColor: '#0d2747', textBorderWidth: 2, fontSize: 13, formatter: (p) => p.data && p.data.provincial ? p.name + '\n' + t('d.provincial') : p.name + '\n' + (Number.isFinite(p.value) ? p.value : '') },
      itemStyle: { areaColor: '#33506f', borderColor: '#0d2747' },
      emphasis: { label: { color: '#000' }, itemStyle: { areaColor: '#ffd54f' } } }],
  };
}

const band = (name, lower, upper, color) => [
  { name: name + '-lo', type: 'line', data: lower, stack: name, lineStyle: { opacity: 0 }, symbol: 'none', tooltip: { show: false } },
  { name, type: 'line', data: upper.map((u, i) => (u == null || lower[i] == null ? null : u - lower[i])), stack: name,
    lineStyle: { opacity: 0 }, symbol: 'none', areaStyle: { color, opacity: 0.3 }, tooltip: { show: false } },
];

const axisText = { color: '#8ea4bd' };
function curveOption() {
  const { dates, reps } = st.curve;
  const s = (f) => reps.map((r) => (r ? f(r) : null));
  return {
    tooltip: { trigger: 'axis' }, legend: { textStyle: { color: '#dbe6f3' } },
    grid: { left: 45, right: 45, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: dates.map((d) => d.slice(5)), axisLabel: axisText },
    yAxis: [{ type: 'value', name: t('d.under'), axisLabel: axisText, nameTextStyle: axisText, splitLine: { lineStyle: { color: '#1f3c63' } } },
      { type: 'value', name: t('rep.new'), axisLabel: axisText, nameTextStyle: axisText, minInterval: 1, splitLine: { show: false } }],
    series: [
      { name: t('d.under'), type: 'line', data: s(underControl), smooth: true },
      { name: t('d.newconf'), type: 'line', yAxisIndex: 1, data: s((r) => at(r, 'cases.confirmed.new')) },
      { name: t('d.newsus'), type: 'line', yAxisIndex: 1, data: s((r) => at(r, 'cases.suspected.new')) },
    ],
  };
}

function rtOption() {
  const w = st.rt.windows;
  return {
    tooltip: { trigger: 'axis', formatter: (ps) => { const i = ps[0].dataIndex; const x = w[i];
      return x.date_end + '<br>Rt ' + t('d.median') + ' ' + (x.median == null ? '—' : x.median.toFixed(2)) + '<br>95%: ' + (x['q0.025'] == null ? '—' : x['q0.025'].toFixed(2) + '–' + x['q0.975'].toFixed(2)); } },
    grid: { left: 40, right: 40, top: 20, bottom: 30 },
    xAxis: { type: 'category', data: w.map((x) => x.date_end.slice(5)), axisLabel: axisText },
    yAxis: { type: 'value', axisLabel: axisText, splitLine: { lineStyle: { color: '#1f3c63' } } },
    series: [...band('95%', w.map((x) => x['q0.025']), w.map((x) => x['q0.975']), '#4fc3f7'),
      { name: 'Rt', type: 'line', data: w.map((x) => x.median), symbol: 'none', lineStyle: { color: '#4fc3f7', width: 2 },
        markLine: { silent: true, symbol: 'none', data: [{ yAxis: 1 }], lineStyle: { color: '#ff8a80', type: 'dashed' }, label: { formatter: 'R=1' } } }],
  };
}

function projOption() {
  const p = st.proj; const q = p.incidence;
  return {
    tooltip: { trigger: 'axis', formatter: (ps) => { const i = ps[0].dataIndex;
      return p.dates[i] + '<br>' + t('d.median') + ' ' + q.median[i] + '<br>50%: ' + q['q0.25'][i] + '–' + q['q0.75'][i] + '<br>90%: ' + q['q0.05'][i] + '–' + q['q0.95'][i]; } },
    grid: { left: 40, right: 15, top: 20, bottom: 30 },
    xAxis: { type: 'category', data: p.dates.map((d) => d.slice(5)), axisLabel: axisText },
    yAxis: { type: 'value', minInterval: 1, axisLabel: axisText, splitLine: { lineStyle: { color: '#1f3c63' } } },
    series: [...band('90%', q['q0.05'], q['q0.95'], '#ffb74d'), ...band('50%', q['q0.25'], q['q0.75'], '#e65100'),
      { name: t('d.median'), type: 'line', data: q.median, symbol: 'none', lineStyle: { color: '#ffd54f', width: 2 } }],
  };
}

const pct = (x) => (x == null ? '—' : (100 * x).toFixed(1) + '%');
function probs() {
  const pr = st.proj.probabilities || {};
  return h('div', { class: 'probs', id: 'probs' },
    h('span', {}, t('d.p.none', pr.no_new_case_days ?? 14), '：', h('b', { 'data-p': 'p_no_new_case' }, pct(pr.p_no_new_case))),
    pr.p_more_than && h('span', {}, t('d.p.more', pr.p_more_than.x), '：', h('b', {}, pct(pr.p_more_than.p))),
    pr.p_beds_over_capacity != null && h('span', {}, t('d.p.beds'), '：', h('b', {}, pct(pr.p_beds_over_capacity)), ' / ', h('b', {}, pct(pr.p_beds_over_capacity_with_standby))));
}

function facilities() {
  const r = st.rep;
  const rows = r ? FAC_KINDS.map((k) => {
    const f = at(r, 'facilities.' + k) || {};
    const places = (f.in_use || 0);
    const rate = places ? f.occupied / places : 0;
    return h('tr', {}, h('td', {}, t('rep.' + k)), ['in_use', 'standby', 'occupied', 'free'].map((c) => h('td', { 'data-k': 'facilities.' + k + '.' + c }, String(f[c] ?? '—'))),
      h('td', {}, h('div', { class: 'bar', title: pct(rate) }, h('i', { class: rate >= 0.8 ? 'hot' : '', style: 'width:' + Math.min(100, 100 * rate).toFixed(0) + '%' }))));
  }) : [];
  return h('div', {},
    r ? h('table', {}, h('thead', {}, h('tr', {}, h('th', {}), ['rep.in_use', 'rep.standby', 'rep.occupied', 'rep.free', 'd.fac.rate'].map((k) => h('th', {}, t(k))))), h('tbody', {}, rows))
      : h('p', { class: 'msg note' }, st.repErr || t('loading')),
    h('p', {}, t('d.awaiting'), '：', h('b', { 'data-k': 'measures.central_isolation.awaiting_admission' }, String(at(r, 'measures.central_isolation.awaiting_admission') ?? '—')),
      ' · ', t('d.adm.overdue'), '：', h('b', { id: 'adm-overdue' }, st.admOverdue ? String(st.admOverdue.length) : '—')),
    st.facs && st.facs.length ? h('details', {}, h('summary', {}, t('d.fac.list'), '（', String(st.facs.length), '）'),
      h('ul', { class: 'items' }, st.facs.map((f) => h('li', {}, f.name || f.id, ' ', h('span', { class: 'muted' }, t('rep.' + f.kind), ' ',
        ['occupied', 'places_in_use', 'places_standby', 'in_use', 'standby', 'free'].filter((k) => f[k] != null).map((k) => k + ' ' + f[k]).join(' · '))))))
      : st.facsErr ? h('p', { class: 'muted' }, t('d.fac.list'), '：', st.facsErr) : null);
}

function alertList(items, err, kindKey) {
  if (err) return h('p', { class: 'msg note' }, err);
  if (!items) return h('p', { class: 'muted' }, t('loading'));
  if (!items.length) return h('p', { class: 'muted' }, t('none'));
  return h('ul', { class: 'items' }, items.slice(0, 12).map((a) => h('li', { 'data-id': a.id, 'data-kind': a[kindKey] || '' },
    a.kind ? h('span', { class: 'badge ' + (a.kind === 'fever' || a.kind === 'red_flag' ? 'red' : 'amber') }, t('alert.' + a.kind)) : h('span', { class: 'badge' }, t('measure.' + a.measure)),
    ' ', a.name, ' ', h('span', { class: 'muted' }, (a.juris && a.juris.name) || '', ' · ', a.created_at || ''),
    a.overdue && h('span', { class: 'badge red' }, t('overdue')))));
}

function alertsPanel() {
  const r = st.rep;
  return h('div', { class: 'grid2' },
    h('div', { id: 'alerts' }, h('h3', {}, t('d.alerts'), ' ', h('span', { class: 'muted' }, t('d.open'), ' ', String(at(r, 'alerts.open') ?? '—'), ' · ', t('d.overdue'), ' ', String(at(r, 'alerts.overdue') ?? '—'))),
      h('p', { class: 'muted' }, t('d.latest')), alertList(st.alerts, st.alertsErr, 'kind')),
    h('div', { id: 'tasks' }, h('h3', {}, t('d.tasks'), ' ', h('span', { class: 'muted' }, t('d.open'), ' ', String(at(r, 'tasks.open') ?? '—'), ' · ', t('d.overdue'), ' ', String(at(r, 'tasks.overdue') ?? '—'))),
      h('p', { class: 'muted' }, t('d.latest')), alertList(st.tasks, st.tasksErr, 'measure')));
}

// ---- layout ----
function card(id, title, ...body) { return h('section', { class: 'card', id }, h('h2', {}, title), ...body); }

function chartBox(key, cls) {
  const el = h('div', { class: 'chart ' + (cls || ''), id: 'chart-' + key });
  return el;
}

function setChart(key, el, option, onClick) {
  if (charts[key]) charts[key].dispose();
  const c = echarts.init(el, null, { renderer: 'canvas' });
  c.setOption(option);
  if (onClick) c.on('click', onClick);
  charts[key] = c;
  if (key === 'map') { window.__egMap = c; window.__egGeo = geojson; }   // tests click on a county's centre through them
}

function render() {
  document.title = t('d.title') + ' · EpiGrid';
  const showMap = st.path.length <= 2;   // the city or a county: the map; below: the ranked list only
  const mapEl = showMap ? chartBox('map', 'map') : null;
  const curveEl = st.curve ? chartBox('curve') : null;
  const rtEl = st.rt ? chartBox('rt') : null;
  const projEl = st.proj ? chartBox('proj') : null;
  const dateInput = h('input', { type: 'date', id: 'date', value: st.date, onchange: (e) => {
    if (!e.target.value) return;
    st.date = e.target.value; drill(st.path); loadAnalysis().then(render);
  } });
  fill($('#app'), topbar('d.title', user, render), h('main', {},
    h('div', { class: 'controls' }, h('label', { for: 'date' }, t('d.date')), dateInput, crumbs(),
      h('a', { href: '/report.html?date=' + st.date + '&juris=' + encodeURIComponent(node().code), id: 'print-link' }, t('d.report')),
      h('span', { class: 'muted' }, t('d.refresh'))),
    card('numbers', t('nav.report') + ' · ' + node().name, kpis()),
    h('div', { class: 'grid2' },
      showMap ? card('map', t('d.map'), mapEl, h('p', { class: 'series-note' }, t('rep.under.def'), '；', t('d.provincial.tip')))
        : card('map', t('d.ranked'), h('p', { class: 'series-note' }, t('d.nomap'))),
      card('children', t('d.ranked'), ranked())),
    h('div', { class: 'grid3' },
      card('curve', t('d.curve'), curveEl || h('p', { class: 'msg note' }, st.curveErr || t('loading')), h('p', { class: 'series-note' }, t('d.curve.series'))),
      card('rt', t('d.rt'), rtEl || h('p', { class: 'msg note' }, st.rtErr || t('loading')),
        h('p', { class: 'series-note' }, t('d.rt.series', st.rt ? st.rt.series.name : '吉林省 Jilin province'))),
      card('proj', t('d.proj'), projEl || h('p', { class: 'msg note' }, st.projErr || t('loading')), st.proj && probs(),
        h('p', { class: 'series-note' }, st.proj ? t('d.proj.series', st.proj.series.name, st.proj.r_used.mean.toFixed(3), st.proj.r_used.std.toFixed(3), 100000)
          : t('d.proj.series', '通化市 Tonghua', '—', '—', 100000)))),
    h('div', { class: 'grid2' },
      card('alerts-tasks', t('d.alerts') + ' · ' + t('d.tasks'), alertsPanel()),
      card('facilities', t('d.fac'), facilities()))));
  for (const k of Object.keys(charts)) { charts[k].dispose(); delete charts[k]; }
  if (mapEl) setChart('map', mapEl, mapOption(), (p) => {
    if (!p.data || p.data.provincial || p.data.code === MEIHEKOU) return;   // 省直管: not clickable
    const code = p.data.code;
    const child = st.cityRep && (st.cityRep.children || []).find((c) => c.juris.code.slice(0, 6) === code);
    drill([st.path[0], { code: child ? child.juris.code : code, name: p.name, level: 'county' }]);
  });
  if (curveEl) setChart('curve', curveEl, curveOption());
  if (rtEl) setChart('rt', rtEl, rtOption());
  if (projEl) setChart('proj', projEl, projOption());
  document.body.dataset.ready = st.rep || st.repErr ? '1' : '0';
}

window.addEventListener('resize', () => { for (const c of Object.values(charts)) c.resize(); });

async function start() {
  user = await session();
  const root = { code: (user.juris && user.juris.code) || '2205', name: (user.juris && user.juris.name) || '通化市', level: (user.juris && user.juris.level) || 'city' };
  st.path = [root];
  if (!st.date) {
    // the server's day (a drill runs on its own clock): the latest report, else today here
    try { st.date = (await api('GET', '/reports/daily?juris=' + encodeURIComponent(root.code))).date; } catch { st.date = cstToday(); }
  }
  render();
  await refresh(true);
  const want = qs('juris');
  if (want && want !== root.code && st.rep) {
    // a deep link: rebuild the path through the report's children
    let path = [root];
    let rep = st.rep;
    for (let guard = 0; guard < 5 && rep; guard++) {
      const next = (rep.children || []).find((c) => want === c.juris.code || want.startsWith(c.juris.code));
      if (!next) break;
      path = [...path, { code: next.juris.code, name: next.juris.name, level: next.juris.level }];
      if (next.juris.code === want) break;
      try { rep = await fetchReport(st.date, next.juris.code); } catch { rep = null; }
    }
    if (path.length > 1) drill(path);
  }
  setInterval(() => { if (!document.hidden) refresh(false); }, 60000);
  void currentLang;
}

start().catch((e) => fill($('#app'), h('p', { class: 'msg error' }, explain(e))));
