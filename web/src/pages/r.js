// web/src/pages/r.js: the self-report page at /r/{token}: a person under home
// quarantine reports a temperature and symptoms, without an account, by
// POST /api/v1/self-report/{token}. The form keeps what was typed on failure.
import { api, explain, h, fill, $, t, words, setLang, currentLang, SYMPTOMS } from '../common.js';

words({
  'sr.title': ['体温自报', 'Temperature self-report'],
  'sr.intro': ['您正在居家隔离医学观察。请每天早晚各报一次体温。', 'You are under home quarantine. Please report your temperature morning and evening.'],
  'sr.temp': ['体温（°C）', 'Temperature (°C)'],
  'sr.symptoms': ['有没有以下症状（可多选）', 'Any of these symptoms (tick all that apply)'],
  'sr.submit': ['提交体温', 'Send'],
  'sr.ok': ['已收到，谢谢！下次请按时再报。', 'Received, thank you. Please report again at the next time.'],
  'sr.fever': ['您的体温偏高。工作人员会尽快联系您，请留在家中，不要自行外出就医。', 'Your temperature is high. Staff will contact you soon; stay at home.'],
  'sr.badlink': ['这个链接已失效（隔离已结束或链接有误）。如有疑问请联系您的网格员。', 'This link is no longer valid (the quarantine ended or the link is wrong). Contact your grid worker.'],
  'sr.range': ['请填写 34.0 到 43.0 之间的体温，例如 36.5。', 'Enter a temperature between 34.0 and 43.0, for example 36.5.'],
});

const token = location.pathname.split('/').pop();
const typed = { temp: '', symptoms: new Set() };
let note = null;

function render() {
  document.title = t('sr.title') + ' · EpiGrid';
  fill($('#app'),
    h('header', { class: 'topbar' }, h('h1', { text: t('sr.title') }), h('span', { class: 'spacer' }),
      h('button', { class: 'lang', type: 'button', onclick: () => { setLang(currentLang() === 'en' ? 'zh' : 'en'); render(); } }, t('lang.switch'))),
    h('main', {}, h('section', { class: 'card' },
      h('p', {}, t('sr.intro')),
      h('form', { id: 'sr-form', onsubmit: submit, novalidate: true },
        h('label', { for: 'sr-temp' }, t('sr.temp')),
        h('input', { id: 'sr-temp', name: 'temperature_c', class: 'big-temp', type: 'number', inputmode: 'decimal', step: '0.1',
          min: '34', max: '43', required: true, value: typed.temp, oninput: (e) => { typed.temp = e.target.value; } }),
        h('p', { class: 'muted' }, t('sr.symptoms')),
        h('div', {}, SYMPTOMS.filter((s) => s !== 'fever').map((s) => h('label', { class: 'check' },
          h('input', { type: 'checkbox', name: 'symptom', value: s, checked: typed.symptoms.has(s),
            onchange: (e) => { if (e.target.checked) typed.symptoms.add(s); else typed.symptoms.delete(s); } }),
          t('sym.' + s)))),
        note && h('p', { class: 'msg ' + note[0], id: 'sr-msg', role: note[0] === 'error' ? 'alert' : 'status' }, note[1]),
        h('p', {}, h('button', { type: 'submit', id: 'sr-submit' }, t('sr.submit')))))));
}

async function submit(ev) {
  ev.preventDefault();
  const v = Number(typed.temp);
  if (!typed.temp || !Number.isFinite(v) || v < 34 || v > 43) { note = ['error', t('sr.range')]; render(); return; }
  $('#sr-submit').disabled = true;
  try {
    const r = await api('POST', '/self-report/' + encodeURIComponent(token), { temperature_c: v, symptoms: [...typed.symptoms].join(';') });
    note = r.fever || r.red_flag ? ['note', t('sr.fever')] : ['ok', t('sr.ok')];
    typed.temp = ''; typed.symptoms.clear();
  } catch (e) {
    note = ['error', e.status === 404 || e.status === 409 ? t('sr.badlink') : e.status === 422 ? t('sr.range') : explain(e)];
  }
  render();
}

render();
