// web/src/pages/checkpoint.js: checkpoint staff: the checkpoint's hourly counts
// (POST /checkpoints/{id}/logs) and one fever (POST /checkpoints/{id}/fevers),
// the checkpoint found by GET /checkpoints. Where the server has no checkpoint
// routes yet, the page says so and sends nothing. Forms keep what was typed.
import { api, explain, h, fill, $, t, words, topbar, session, cstNow } from '../common.js';

words({
  'c.title': ['体温监测点', 'Temperature checkpoint'],
  'c.which': ['监测点', 'Checkpoint'],
  'c.hourly': ['每小时检测人数', 'Hourly counts'],
  'c.hour': ['时段开始（例如 2020-02-13 08:00）', 'Hour starting (e.g. 2020-02-13 08:00)'],
  'c.checked': ['本小时检测人数', 'People checked this hour'],
  'c.fevers': ['其中发热人数', 'Of whom with fever'],
  'c.fever': ['登记发热人员', 'Record a fever'],
  'c.at': ['时间（例如 2020-02-13 08:20）', 'Time (e.g. 2020-02-13 08:20)'],
  'c.temp': ['体温（°C，37.3 及以上）', 'Temperature (°C, 37.3 or more)'],
  'c.name': ['姓名', 'Name'],
  'c.idno': ['身份证号（不清楚可不填）', 'ID number (may be empty)'],
  'c.phone': ['电话', 'Phone'],
  'c.dest': ['去向', 'Destination'],
  'c.saved': ['已保存。', 'Saved.'],
  'c.fsaved': ['已登记发热人员，并转发热门诊。', 'Fever recorded and referred to a fever clinic.'],
  'c.none': ['您的账号没有对应的监测点。', 'Your account has no checkpoint.'],
  'c.counts': ['今日累计', 'Today'],
  'c.n.checks': ['检测', 'checked'],
  'c.n.fevers': ['发热', 'fevers'],
  'c.n.noout': ['未反馈结果', 'without outcome'],
});

/** Today's counts of a checkpoint (GET /checkpoints: `today`) in words. */
function counts(c) {
  return [['c.n.checks', c.checks], ['c.n.fevers', c.fevers], ['c.n.noout', c.referrals_without_outcome]]
    .filter(([, v]) => v != null).map(([k, v]) => t(k) + ' ' + v).join(' · ');
}

/** The checkpoints of the account (their today's counts). */
async function load() {
  const r = await api('GET', '/checkpoints');
  cps = r.items || r;
}

let user = null;
let cps = null;
let cpErr = null;
let cp = '';
const log = { hour_start: cstNow().slice(0, 13) + ':00', checked: '', fevers: '' };
const fever = { at: cstNow(), temperature_c: '', name: '', id_no: '', phone: '', destination: '' };
const notes = {};

function input(obj, key, label, attrs = {}) {
  return [h('label', { for: 'c-' + key }, label),
    h('input', Object.assign({ id: 'c-' + key, value: obj[key], oninput: (e) => { obj[key] = e.target.value; } }, attrs))];
}

async function send(kind, body) {
  try {
    await api('POST', '/checkpoints/' + encodeURIComponent(cp) + '/' + kind, body);
    notes[kind] = ['ok', t(kind === 'logs' ? 'c.saved' : 'c.fsaved')];
    await load().catch(() => {});
    if (kind === 'logs') { log.checked = ''; log.fevers = ''; } else Object.assign(fever, { temperature_c: '', name: '', id_no: '', phone: '', destination: '' });
  } catch (e) {
    notes[kind] = ['error', explain(e)];
  }
  render();
}

function render() {
  document.title = t('c.title') + ' · EpiGrid';
  const body = [];
  if (cpErr) body.push(h('p', { class: 'msg error', role: 'alert', id: 'cp-error' }, cpErr));
  else if (!cps || !cps.length) body.push(h('p', { class: 'msg note' }, t('c.none')));
  else {
    const cur = cps.find((c) => (c.id || c.checkpoint_id) === cp) || cps[0];
    body.push(h('section', { class: 'card' }, h('label', { for: 'c-cp' }, t('c.which')),
      h('select', { id: 'c-cp', onchange: (e) => { cp = e.target.value; render(); } },
        cps.map((c) => h('option', { value: c.id || c.checkpoint_id, selected: (c.id || c.checkpoint_id) === cp }, c.name || c.id))),
      cur && h('p', { class: 'muted', id: 'cp-today' }, t('c.counts'), '：', counts(cur.today || cur.counts || {}))));
    body.push(h('section', { class: 'card' }, h('h2', {}, t('c.hourly')),
      h('form', { id: 'log-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); send('logs', { hour_start: log.hour_start, checked: Number(log.checked), fevers: Number(log.fevers || 0) }); } },
        input(log, 'hour_start', t('c.hour')), input(log, 'checked', t('c.checked'), { type: 'number', min: '0', inputmode: 'numeric' }),
        input(log, 'fevers', t('c.fevers'), { type: 'number', min: '0', inputmode: 'numeric' }),
        notes.logs && h('p', { class: 'msg ' + notes.logs[0] }, notes.logs[1]), h('p', {}, h('button', { type: 'submit' }, t('save'))))));
    body.push(h('section', { class: 'card' }, h('h2', {}, t('c.fever')),
      h('form', { id: 'fever-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); send('fevers', { ...fever, temperature_c: Number(fever.temperature_c) }); } },
        input(fever, 'at', t('c.at')), input(fever, 'temperature_c', t('c.temp'), { type: 'number', step: '0.1', inputmode: 'decimal', class: 'big-temp' }),
        input(fever, 'name', t('c.name')), input(fever, 'id_no', t('c.idno')), input(fever, 'phone', t('c.phone'), { type: 'tel' }),
        input(fever, 'destination', t('c.dest')),
        notes.fevers && h('p', { class: 'msg ' + notes.fevers[0] }, notes.fevers[1]), h('p', {}, h('button', { type: 'submit' }, t('save'))))));
  }
  fill($('#app'), topbar('c.title', user, render), h('main', {}, body));
}

session().then(async (u) => {
  user = u;
  try {
    await load();
    cp = cps.length ? (cps[0].id || cps[0].checkpoint_id) : '';
  } catch (e) { cpErr = explain(e); }
  render();
}).catch((e) => fill($('#app'), h('p', { class: 'msg error' }, explain(e))));
