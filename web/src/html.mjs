// web/src/html.mjs: the pages and their HTML shell (used by build.mjs).
// Every page is one <div id="app"> filled by its script; the titles are Chinese
// (the default language) and the script switches them when English is chosen.
export const PAGES = [
  { name: 'index', file: 'index.html', title: 'EpiGrid 疫情防控指挥系统' },
  { name: 'login', file: 'login.html', title: '登录 · EpiGrid' },
  { name: 'dashboard', file: 'dashboard.html', title: '指挥大屏 · EpiGrid', wide: true },
  { name: 'field', file: 'field.html', title: '网格工作 · EpiGrid' },
  { name: 'checkpoint', file: 'checkpoint.html', title: '体温监测点 · EpiGrid' },
  { name: 'report', file: 'report.html', title: '疫情防控日报 · EpiGrid' },
  { name: 'r', file: 'r.html', title: '体温自报 · EpiGrid' },
];

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

export function pageHtml(page, js, css) {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(page.title)}</title>
${css ? `<link rel="stylesheet" href="${esc(css)}">` : ''}
<script type="module" src="${esc(js)}"></script>
</head>
<body class="page-${esc(page.name)}${page.wide ? ' wide' : ''}">
<div id="app"><p class="loading">加载中… Loading…</p></div>
<noscript>本页需要启用 JavaScript。This page needs JavaScript.</noscript>
</body>
</html>
`;
}
