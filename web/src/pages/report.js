// web/src/pages/report.js: the daily report (日报) of a date and node as a
// printable A4 page, from GET /reports/daily?date=&juris=[&version=] — the
// same JSON, so the same numbers, as `epigrid report daily --format json`.
// Chinese by default (the printed form); the English switch relabels it.
import { explain, h, fill, $, t, words, topbar, session, qs, cstToday, currentLang } from '../common.js';
import { fetchReport, at, confirmedCurrent, underControl, FAC_KINDS, SEVERITIES } from '../report_model.js';

words({
  'r.title': ['疫情防控工作日报', 'Daily epidemic control report'],
  'r.hq': ['通化市新型冠状病毒感染的肺炎疫情防控工作指挥部', 'Tonghua epidemic prevention and control headquarters'],
  'r.print': ['打印（A4）', 'Print (A4)'],
  'r.show': ['查看', 'Show'],
  'r.date': ['日期', 'Date'],
  'r.node': ['区划代码', 'Division code'],
  's1': ['一、医学观察与隔离', '1. Observation and isolation'],
  's2': ['二、病例', '2. Cases'],
  's3': ['三、体温监测点（当日）', '3. Checkpoints (the day)'],
  's4': ['四、隔离与救治场所', '4. Facilities'],
  's5': ['五、预警、任务与外地协查', '5. Alerts, tasks and assistance requests'],
  's6': ['六、下级单位', '6. Units below'],
  'r.item': ['项目', 'Item'],
  'r.unit': ['单位', 'Unit'],
  'r.direct': ['本级直属', 'attached directly'],
  'r.generated': ['统计截至 {0}', 'as at {0}'],
  'r.summary': ['截至 {0}，{1}在管 {2} 人（居家隔离 {3} 人，集中隔离 {4} 人、其中待入住 {5} 人，出院后观察 {6} 人）；现有疑似 {7} 例、确诊 {8} 例，当日新增确诊 {9} 例。',
    'As at {0}, {1} has {2} persons under control ({3} home quarantine, {4} central isolation of whom {5} awaiting admission, {6} post-discharge); {7} suspected and {8} confirmed cases, {9} newly confirmed.'],
  'r.no': ['没有数据', 'No data'],
});

const state = { date: qs('date') || '', juris: qs('juris') || '', version: qs('version') || '', rep: null, err: null };
let user = null;

const num = (node, path) => h('td', { 'data-k': path }, String(at(node, path) ?? '—'));

function table(head, rows) {
  return h('table', {}, h('thead', {}, h('tr', {}, head.map((x) => h('th', {}, x)))), h('tbody', {}, rows));
}

function body(r) {
  const m = (k) => 'measures.' + k;
  return [
    h('h1', {}, t('r.title')),
    h('div', { class: 'meta' }, t('r.hq'), h('br'), r.juris.name, '（', r.juris.code, '） · ', r.date, ' · ',
      r.live ? t('rep.live') : t('rep.version', r.version), ' · ', t('r.generated', r.generated_at || '')),
    h('p', { id: 'summary' }, t('r.summary', r.generated_at || r.date, r.juris.name, underControl(r),
      at(r, 'measures.home_quarantine.current'), at(r, 'measures.central_isolation.current'),
      at(r, 'measures.central_isolation.awaiting_admission'), at(r, 'measures.post_discharge_observation.current'),
      at(r, 'cases.suspected.current'), confirmedCurrent(r), at(r, 'cases.confirmed.new'))),
    h('h2', {}, t('s1')),
    table([t('r.item'), t('rep.current'), t('rep.new'), t('rep.ended'), t('rep.awaiting')], [
      h('tr', {}, h('td', {}, t('rep.hq')), num(r, m('home_quarantine.current')), num(r, m('home_quarantine.new')), num(r, m('home_quarantine.ended')), h('td', {}, '—')),
      h('tr', {}, h('td', {}, t('rep.ci')), num(r, m('central_isolation.current')), num(r, m('central_isolation.new')), num(r, m('central_isolation.ended')), num(r, m('central_isolation.awaiting_admission'))),
      h('tr', {}, h('td', {}, t('rep.pd')), num(r, m('post_discharge_observation.current')), num(r, m('post_discharge_observation.new')), num(r, m('post_discharge_observation.ended')), h('td', {}, '—')),
    ]),
    h('h2', {}, t('s2')),
    table([t('r.item'), t('rep.current'), t('rep.new'), t('rep.excluded') + ' / ' + t('rep.discharged')], [
      h('tr', {}, h('td', {}, t('rep.sus')), num(r, 'cases.suspected.current'), num(r, 'cases.suspected.new'), num(r, 'cases.suspected.excluded')),
      h('tr', {}, h('td', {}, t('rep.conf'), '（', SEVERITIES.map((s) => t('rep.' + s) + ' ' + (at(r, 'cases.confirmed.current.' + s) ?? 0)).join('，'), '）'),
        h('td', { 'data-k': 'cases.confirmed.current' }, String(confirmedCurrent(r))), num(r, 'cases.confirmed.new'), num(r, 'cases.confirmed.discharged')),
    ]),
    h('h2', {}, t('s3')),
    table([t('rep.checks'), t('rep.fevers'), t('rep.noout')], [h('tr', {}, num(r, 'checkpoints.checks'), num(r, 'checkpoints.fevers'), num(r, 'checkpoints.referrals_without_outcome'))]),
    h('h2', {}, t('s4')),
    table([t('r.item'), t('rep.in_use'), t('rep.standby'), t('rep.occupied'), t('rep.free')],
      FAC_KINDS.map((k) => h('tr', {}, h('td', {}, t('rep.' + k)), ['in_use', 'standby', 'occupied', 'free'].map((c) => num(r, 'facilities.' + k + '.' + c))))),
    h('h2', {}, t('s5')),
    table([t('r.item'), t('rep.open'), t('rep.overdue') + ' / ' + t('rep.new')], [
      h('tr', {}, h('td', {}, t('rep.alerts')), num(r, 'alerts.open'), num(r, 'alerts.overdue')),
      h('tr', {}, h('td', {}, t('rep.tasks')), num(r, 'tasks.open'), num(r, 'tasks.overdue')),
      h('tr', {}, h('td', {}, t('rep.req')), num(r, 'assistance_requests.open'), num(r, 'assistance_requests.new')),
    ]),
    (r.children && r.children.length) ? [h('h2', {}, t('s6')),
      table([t('r.unit'), t('rep.hq'), t('rep.ci'), t('rep.pd'), t('rep.sus'), t('rep.conf'), t('rep.new'), t('rep.checks'), t('rep.alerts'), t('rep.tasks')],
        [...r.children, r.direct ? { ...r.direct, juris: { name: t('r.direct'), code: '' } } : null].filter(Boolean).map((c) => h('tr', { 'data-child': c.juris.code }, h('td', {}, c.juris.name),
          h('td', {}, String(at(c, 'measures.home_quarantine.current') ?? 0)),
          h('td', {}, String(at(c, 'measures.central_isolation.current') ?? 0)),
          h('td', {}, String(at(c, 'measures.post_discharge_observation.current') ?? 0)),
          h('td', {}, String(at(c, 'cases.suspected.current') ?? 0)),
          h('td', {}, String(confirmedCurrent(c))),
          h('td', {}, String(at(c, 'cases.confirmed.new') ?? 0)),
          h('td', {}, String(at(c, 'checkpoints.checks') ?? 0)),
          h('td', {}, (at(c, 'alerts.open') ?? 0) + ' / ' + (at(c, 'alerts.overdue') ?? 0)),
          h('td', {}, (at(c, 'tasks.open') ?? 0) + ' / ' + (at(c, 'tasks.overdue') ?? 0)))))] : null,
  ];
}

function render() {
  document.title = t('r.title') + ' · EpiGrid';
  const controls = h('form', { class: 'noprint controls', onsubmit: (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    if (state.date) p.set('date', state.date);
    if (state.juris) p.set('juris', state.juris);
    location.search = p.toString();
  } },
  h('label', { for: 'r-date' }, t('r.date')), h('input', { id: 'r-date', type: 'date', value: state.date, oninput: (e) => { state.date = e.target.value; } }),
  h('label', { for: 'r-juris' }, t('r.node')), h('input', { id: 'r-juris', value: state.juris, placeholder: '2205', oninput: (e) => { state.juris = e.target.value; } }),
  h('button', { type: 'submit', class: 'secondary' }, t('r.show')),
  h('button', { type: 'button', onclick: () => window.print() }, t('r.print')));
  fill($('#app'), topbar('r.title', user, render), controls,
    h('article', { class: 'a4', id: 'report', lang: currentLang() === 'en' ? 'en' : 'zh-CN' },
      state.err ? h('p', { class: 'msg error', role: 'alert' }, state.err) : state.rep ? body(state.rep) : h('p', { class: 'loading' }, t('loading'))));
}

session().then(async (u) => {
  user = u;
  if (!state.date) state.date = cstToday();
  render();
  try { state.rep = await fetchReport(state.date, state.juris, state.version); } catch (e) {
    state.err = e.missingRoute ? t('rep.missing') : explain(e);
  }
  render();
}).catch((e) => fill($('#app'), h('p', { class: 'msg error' }, explain(e))));
