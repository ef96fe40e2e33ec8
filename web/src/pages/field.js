// web/src/pages/field.js: a grid worker's (or township officer's) phone page:
// open verification tasks (found at home / not found / address corrected),
// persons whose readings are missing (open missed_reading alerts), persons
// under control, recording a reading, open alerts to acknowledge, and a
// person's card (?person=ID; outside the user's area the server answers 404).
// Routes: GET /tasks, POST /tasks/{id}/close, GET /alerts, POST /alerts/{id}/ack,
// GET /orders, POST /readings, GET /persons/{id}, POST /persons/search.
import { api, explain, h, fill, $, t, words, topbar, session, qs, SYMPTOMS, cstToday } from '../common.js';

words({
  'f.title': ['网格工作', 'Field work'],
  'f.tasks': ['待核查任务（落地查人）', 'Verification tasks'],
  'f.found': ['在家，已找到', 'Found at home'],
  'f.notfound': ['未找到', 'Not found'],
  'f.corrected': ['地址更正', 'Address corrected'],
  'f.newjuris': ['新地址所在的区划代码（村或网格，例如 220502001001-1）', 'Division code of the new address (village or grid)'],
  'f.confirm': ['确认', 'Confirm'],
  'f.due': ['截止', 'due'],
  'f.missing': ['今日未报体温的人员', 'Readings missing today'],
  'f.missing.note': ['以下人员按时没有体温记录。请联系本人，测量后在下方录入。', 'These persons have no reading on time. Contact them and record a reading below.'],
  'f.record': ['录入体温', 'Record a reading'],
  'f.under': ['在管人员', 'Persons under control'],
  'f.reading': ['录入体温', 'Record a reading'],
  'f.person': ['人员', 'Person'],
  'f.pick': ['— 请选择 —', '— choose —'],
  'f.idsearch': ['或输入身份证号查找', 'or find by ID number'],
  'f.find': ['查找', 'Find'],
  'f.temp': ['体温（°C）', 'Temperature (°C)'],
  'f.taken': ['测量时间（不填为现在，格式 2020-02-13 08:30）', 'Time taken (empty: now; 2020-02-13 08:30)'],
  'f.saved': ['已记录 {0} 的体温 {1} °C。', 'Recorded {1} °C for {0}.'],
  'f.fever': ['体温异常：已生成发热预警，并转发热门诊。请按流程送诊。', 'Fever: an alert and a referral to a fever clinic were created. Follow the procedure.'],
  'f.dup': ['这条体温之前已经记录过。', 'This reading was already recorded.'],
  'f.alerts': ['预警', 'Alerts'],
  'f.ack': ['签收', 'Acknowledge'],
  'f.acked': ['已签收', 'Acknowledged'],
  'f.personcard': ['人员信息', 'Person'],
  'f.closed': ['任务已办结：{0}', 'Task closed: {0}'],
  'f.late': ['（已超时办结）', '(closed late)'],
  'f.pickfirst': ['请先选择人员。', 'Choose a person first.'],
  'f.range': ['请填写 34.0 到 43.0 之间的体温，例如 36.5。', 'Enter a temperature between 34.0 and 43.0, e.g. 36.5.'],
  'f.nobody': ['没有找到这个身份证号的人（或不在您负责的范围内）。', 'Nobody with this ID number in your area.'],
  'f.more': ['只显示前 {0} 条。', 'Only the first {0} are shown.'],
  'f.addr': ['地址', 'address'],
  'f.phone': ['电话', 'phone'],
});

let user = null;
const data = { tasks: null, missing: null, orders: null, alerts: null, person: null };
const errs = {};
const notes = {};
const reading = { person_id: '', label: '', temp: '', symptoms: new Set(), taken_at: '', idq: '' };
const correcting = {};   // task id → typed new code

function personLabel(p) { return p.name + '（' + p.id_no + '）'; }

async function load(key, fn) {
  try { data[key] = await fn(); errs[key] = null; } catch (e) { errs[key] = explain(e); data[key] = null; }
}

async function loadAll() {
  const pid = qs('person');
  await Promise.all([
    load('tasks', async () => (await api('GET', '/tasks?state=open&limit=100')).items),
    load('missing', async () => (await api('GET', '/alerts?state=open&kind=missed_reading&limit=100')).items),
    load('orders', async () => (await api('GET', '/orders?state=active&limit=100')).items.filter((o) => o.person_id)),
    load('alerts', async () => (await api('GET', '/alerts?state=open&limit=100')).items.filter((a) => a.kind !== 'missed_reading')),
    pid ? load('person', () => api('GET', '/persons/' + encodeURIComponent(pid))) : null,
  ]);
  render();
}

function section(id, title, body) {
  return h('section', { class: 'card', id }, h('h2', {}, title), notes[id] && h('p', { class: 'msg ' + notes[id][0], role: 'status' }, notes[id][1]),
    errs[id] ? h('p', { class: 'msg error', role: 'alert' }, errs[id]) : body);
}

function empty(list) { return !list || list.length === 0 ? h('p', { class: 'muted' }, t('none')) : null; }

async function closeTask(task, outcome) {
  const body = { outcome };
  if (outcome === 'address_corrected') body.juris = (correcting[task.id] || '').trim();
  try {
    const r = await api('POST', '/tasks/' + task.id + '/close', body);
    notes.tasks = ['ok', t('f.closed', task.name + ' · ' + t(outcome === 'found' ? 'f.found' : outcome === 'not_found' ? 'f.notfound' : 'f.corrected')) + (r.late ? t('f.late') : '')];
    delete correcting[task.id];
    await load('tasks', async () => (await api('GET', '/tasks?state=open&limit=100')).items);
  } catch (e) {
    notes.tasks = ['error', explain(e)];
  }
  render();
}

function taskItem(task) {
  const corr = Object.prototype.hasOwnProperty.call(correcting, task.id);
  return h('li', { 'data-task': task.id },
    h('div', {}, h('b', {}, task.name), ' ', h('span', { class: 'muted' }, task.id_no), ' ',
      h('span', { class: 'badge' }, t('measure.' + task.measure)), task.overdue && h('span', { class: 'badge red' }, t('overdue'))),
    h('div', { class: 'muted' }, (task.juris && task.juris.name) || '', ' · ', t('f.due'), ' ', task.due_at || ''),
    h('div', { class: 'row' },
      h('button', { type: 'button', class: 'act-found', onclick: () => closeTask(task, 'found') }, t('f.found')),
      h('button', { type: 'button', class: 'secondary act-notfound', onclick: () => closeTask(task, 'not_found') }, t('f.notfound')),
      h('button', { type: 'button', class: 'secondary act-corrected', onclick: () => { correcting[task.id] = correcting[task.id] || ''; render(); } }, t('f.corrected'))),
    corr && h('div', {},
      h('label', { for: 'nj-' + task.id }, t('f.newjuris')),
      h('input', { id: 'nj-' + task.id, value: correcting[task.id], oninput: (e) => { correcting[task.id] = e.target.value; } }),
      h('p', {}, h('button', { type: 'button', onclick: () => closeTask(task, 'address_corrected') }, t('f.confirm')))));
}

async function pickByIdNo(idNo) {
  try {
    const r = await api('POST', '/persons/search', { id_no: idNo.trim(), limit: 5 });
    if (!r.items.length) { notes.reading = ['error', t('f.nobody')]; render(); return; }
    reading.person_id = r.items[0].id;
    reading.label = personLabel(r.items[0]);
    notes.reading = null;
  } catch (e) {
    notes.reading = ['error', explain(e)];
  }
  render();
  const el = $('#reading'); if (el) el.scrollIntoView({ block: 'start' });
}

async function submitReading(ev) {
  ev.preventDefault();
  const v = Number(reading.temp);
  if (!reading.person_id) { notes.reading = ['error', t('f.pickfirst')]; render(); return; }
  if (!reading.temp || !Number.isFinite(v) || v < 34 || v > 43) { notes.reading = ['error', t('f.range')]; render(); return; }
  const body = { person_id: reading.person_id, temperature_c: v, symptoms: [...reading.symptoms].join(';'), source: 'team' };
  if (reading.taken_at.trim()) body.taken_at = reading.taken_at.trim();
  $('#reading-submit').disabled = true;
  try {
    const r = await api('POST', '/readings', body);
    notes.reading = r.duplicate ? ['note', t('f.dup')] : r.fever || r.red_flag || r.alert_created
      ? ['note', t('f.saved', reading.label, v.toFixed(1)) + ' ' + t('f.fever')] : ['ok', t('f.saved', reading.label, v.toFixed(1))];
    reading.temp = ''; reading.symptoms.clear(); reading.taken_at = '';
    await Promise.all([
      load('alerts', async () => (await api('GET', '/alerts?state=open&limit=100')).items.filter((a) => a.kind !== 'missed_reading')),
      load('missing', async () => (await api('GET', '/alerts?state=open&kind=missed_reading&limit=100')).items),
    ]);
  } catch (e) {
    notes.reading = ['error', explain(e)];   // the form keeps what was typed
  }
  render();
}

function readingForm() {
  const orders = data.orders || [];
  const known = orders.some((o) => o.person_id === reading.person_id);
  return h('form', { id: 'reading-form', onsubmit: submitReading, novalidate: true },
    h('label', { for: 'r-person' }, t('f.person')),
    h('select', { id: 'r-person', onchange: (e) => {
      reading.person_id = e.target.value;
      const o = orders.find((x) => x.person_id === e.target.value);
      reading.label = o ? personLabel(o) : '';
    } },
    h('option', { value: '' }, t('f.pick')),
    !known && reading.person_id && h('option', { value: reading.person_id, selected: true }, reading.label),
    orders.map((o) => h('option', { value: o.person_id, selected: o.person_id === reading.person_id }, personLabel(o) + ' · ' + t('measure.' + o.measure)))),
    h('label', { for: 'r-idq' }, t('f.idsearch')),
    h('div', { class: 'row' }, h('input', { id: 'r-idq', style: 'flex:1', value: reading.idq, oninput: (e) => { reading.idq = e.target.value; } }),
      h('button', { type: 'button', class: 'secondary', onclick: () => pickByIdNo(reading.idq) }, t('f.find'))),
    h('label', { for: 'r-temp' }, t('f.temp')),
    h('input', { id: 'r-temp', class: 'big-temp', type: 'number', inputmode: 'decimal', step: '0.1', min: '34', max: '43', value: reading.temp,
      oninput: (e) => { reading.temp = e.target.value; } }),
    h('p', { class: 'muted' }, t('field.symptoms')),
    h('div', {}, SYMPTOMS.map((s) => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: s, checked: reading.symptoms.has(s),
      onchange: (e) => { if (e.target.checked) reading.symptoms.add(s); else reading.symptoms.delete(s); } }), t('sym.' + s)))),
    h('label', { for: 'r-taken' }, t('f.taken')),
    h('input', { id: 'r-taken', value: reading.taken_at, placeholder: 'YYYY-MM-DD HH:MM', oninput: (e) => { reading.taken_at = e.target.value; } }),
    h('p', {}, h('button', { type: 'submit', id: 'reading-submit' }, t('save'))));
}

async function ack(a) {
  try {
    await api('POST', '/alerts/' + a.id + '/ack', {});
    notes.alerts = ['ok', t('f.acked') + '：' + a.name];
    await load('alerts', async () => (await api('GET', '/alerts?state=open&limit=100')).items.filter((x) => x.kind !== 'missed_reading'));
  } catch (e) {
    notes.alerts = ['error', explain(e)];
  }
  render();
}

function alertItem(a, withRecord) {
  return h('li', { 'data-alert': a.id, 'data-kind': a.kind },
    h('div', {}, h('span', { class: 'badge ' + (a.kind === 'fever' || a.kind === 'red_flag' ? 'red' : 'amber') }, t('alert.' + a.kind)), ' ',
      h('b', {}, a.name), ' ', h('span', { class: 'muted' }, a.id_no), a.overdue && h('span', { class: 'badge red' }, t('overdue'))),
    h('div', { class: 'muted' }, (a.juris && a.juris.name) || '', ' · ', a.created_at, ' · ', a.reason),
    h('div', { class: 'row' },
      withRecord && h('button', { type: 'button', class: 'secondary', onclick: () => pickByIdNo(a.id_no) }, t('f.record')),
      h('button', { type: 'button', class: 'act-ack', onclick: () => ack(a) }, t('f.ack'))));
}

function personCard() {
  if (!qs('person')) return null;
  const p = data.person;
  return section('person', t('f.personcard'), p && h('div', { id: 'person-card' },
    h('p', {}, h('b', {}, p.name), ' ', p.id_no),
    h('p', { class: 'muted' }, t('f.addr'), '：', p.address || '', ' · ', (p.juris && p.juris.name) || ''),
    h('p', { class: 'muted' }, t('f.phone'), '：', p.phone || ''),
    h('button', { type: 'button', class: 'secondary', onclick: () => { reading.person_id = p.id; reading.label = personLabel(p); render(); } }, t('f.record'))));
}

function render() {
  document.title = t('f.title') + ' · EpiGrid';
  const today = cstToday();
  const missing = data.missing || [];
  fill($('#app'), topbar('f.title', user, render), h('main', {},
    personCard(),
    section('tasks', t('f.tasks'), h('div', {}, empty(data.tasks), h('ul', { class: 'items' }, (data.tasks || []).map(taskItem)))),
    section('missing', t('f.missing'), h('div', {}, h('p', { class: 'muted' }, t('f.missing.note')), empty(missing),
      h('ul', { class: 'items' }, missing.slice().sort((a, b) => (b.created_at.startsWith(today) ? 1 : 0) - (a.created_at.startsWith(today) ? 1 : 0)).map((a) => alertItem(a, true))))),
    section('reading', t('f.reading'), readingForm()),
    section('alerts', t('f.alerts'), h('div', {}, empty(data.alerts), h('ul', { class: 'items' }, (data.alerts || []).map((a) => alertItem(a, false))))),
    section('orders', t('f.under'), h('div', {}, empty(data.orders), h('ul', { class: 'items' }, (data.orders || []).map((o) => h('li', {},
      h('b', {}, o.name), ' ', h('span', { class: 'muted' }, o.id_no), ' ', h('span', { class: 'badge' }, t('measure.' + o.measure)),
      h('div', { class: 'muted' }, (o.juris && o.juris.name) || '', ' · ', o.start_date, ' → ', o.end_date || ''),
      h('button', { type: 'button', class: 'secondary', onclick: () => { reading.person_id = o.person_id; reading.label = personLabel(o); render(); $('#reading').scrollIntoView(); } }, t('f.record')))))))));
}

session().then((u) => { user = u; return loadAll(); })
  .catch((e) => fill($('#app'), h('p', { class: 'msg error' }, explain(e))));
