// web/src/pages/index.js: "/" sends the user to the home page of their role
// (or to the login page).
import { session, homeOf, explain, h, fill, $, t } from '../common.js';

session().then((u) => { location.replace(homeOf(u.role)); })
  .catch((e) => fill($('#app'), h('main', {}, h('p', { class: 'msg error' }, explain(e)), h('a', { href: '/login.html' }, t('nav.login')))));
