// web/src/pages/login.js: log in (POST /auth/login), then to the role's home
// page, or to ?next= when it names a page of this site. A failed login keeps
// what was typed and says why in plain words.
import { api, explain, h, fill, $, t, words, topbar, homeOf, setCsrf } from '../common.js';

words({
  'login.title': ['登录', 'Log in'],
  'login.button': ['登录', 'Log in'],
  'login.bad': ['用户名或密码不对，请再试一次。', 'Wrong user name or password; try again.'],
  'login.hint': ['演练账号：commander（指挥长）、gridworker（网格员）、checkpoint（监测点）、analyst（分析员）。', 'Drill accounts: commander, gridworker, checkpoint, analyst.'],
  'nav.login': ['登录', 'Log in'],
});

const typed = { username: '', password: '' };
let error = '';

function render() {
  document.title = t('login.title') + ' · EpiGrid';
  const form = h('form', { class: 'card form-login', id: 'login-form', novalidate: true, onsubmit: submit },
    h('h2', { text: t('app') }),
    h('label', { for: 'username' }, t('field.username')),
    h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true, value: typed.username,
      oninput: (e) => { typed.username = e.target.value; } }),
    h('label', { for: 'password' }, t('field.password')),
    h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true,
      value: typed.password, oninput: (e) => { typed.password = e.target.value; } }),
    error && h('p', { class: 'msg error', role: 'alert', id: 'login-error' }, error),
    h('p', {}, h('button', { type: 'submit', id: 'login-submit' }, t('login.button'))),
    h('p', { class: 'muted' }, t('login.hint')));
  fill($('#app'), topbar('app', null, render), h('main', {}, h('section', { class: 'card' }, form)));
}

async function submit(ev) {
  ev.preventDefault();
  const btn = $('#login-submit');
  btn.disabled = true;
  try {
    const r = await api('POST', '/auth/login', { username: typed.username.trim(), password: typed.password });
    setCsrf(r.csrf);
    const next = new URLSearchParams(location.search).get('next');
    location.href = next && /^\/[A-Za-z0-9]/.test(next) && !next.startsWith('//') ? next : homeOf(r.user.role);
  } catch (e) {
    error = e.status === 401 || e.code === 'bad_credentials' ? t('login.bad') : explain(e);
    render();
  }
}

render();
