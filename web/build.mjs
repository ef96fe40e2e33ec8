// web/build.mjs: builds the pages into web/dist with esbuild (no network).
// - one ES module per page (src/pages/*.js), shared code split into chunks,
//   minified, names hashed under dist/assets/ (served as immutable);
// - one HTML file per page (src/html.mjs), pointing at its hashed script and CSS;
// - Tonghua's county boundaries bundled from ../data/real (the project's copy);
// - a .gz and a .br beside every text file (epigrid serve sends them when accepted);
// - dist/sizes.json: each page's compressed (br) bytes, its own and its chunks'.
// Usage: node build.mjs [--if-stale]   (--if-stale: nothing to do when dist is newer than the sources)
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { PAGES, pageHtml } from './src/html.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, 'dist');
const stamp = path.join(dist, '.stamp');
const inputs = [path.join(here, 'src'), path.join(here, 'build.mjs'), path.join(here, 'package-lock.json'),
  path.join(here, '..', 'data', 'real', 'tonghua_220500_full.geojson')];

function newest(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return fs.readdirSync(p).reduce((m, n) => Math.max(m, newest(path.join(p, n))), st.mtimeMs);
}

if (process.argv.includes('--if-stale') && fs.existsSync(stamp) &&
    fs.statSync(stamp).mtimeMs >= Math.max(...inputs.map(newest))) {
  console.log('web: dist is up to date');
  process.exit(0);
}

fs.rmSync(dist, { recursive: true, force: true });
fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });

const result = await build({
  entryPoints: Object.fromEntries(PAGES.map((p) => [p.name, path.join(here, 'src', 'pages', p.name + '.js')])),
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: true,
  target: ['es2020'],
  outdir: path.join(dist, 'assets'),
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  assetNames: '[name]-[hash]',
  loader: { '.geojson': 'json' },
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
});

// The output files of each page: its entry, its CSS, and every chunk it imports.
const outputs = result.metafile.outputs;
const rel = (f) => path.relative(dist, path.resolve(here, f)).split(path.sep).join('/');
const pageFiles = {};
for (const [file, info] of Object.entries(outputs)) {
  if (!info.entryPoint) continue;
  const name = path.basename(info.entryPoint, '.js');
  const files = new Set();
  const walk = (f) => {
    if (files.has(f)) return;
    files.add(f);
    for (const imp of outputs[f].imports || []) if (imp.kind === 'import-statement' && outputs[imp.path]) walk(imp.path);
  };
  walk(file);
  pageFiles[name] = { js: rel(file), css: info.cssBundle ? rel(info.cssBundle) : null, files: [...files].map(rel) };
  if (info.cssBundle) pageFiles[name].files.push(rel(info.cssBundle));
}

for (const p of PAGES) {
  const f = pageFiles[p.name];
  if (!f) throw new Error('no output for page ' + p.name);
  fs.writeFileSync(path.join(dist, p.file), pageHtml(p, '/' + f.js, f.css ? '/' + f.css : null));
}

// Precompressed variants of every text file.
const sizes = {};
function compressAll(dir) {
  for (const n of fs.readdirSync(dir)) {
    const f = path.join(dir, n);
    if (fs.statSync(f).isDirectory()) { compressAll(f); continue; }
    if (!/\.(html|js|css|json|geojson|svg|txt)$/.test(n)) continue;
    const raw = fs.readFileSync(f);
    const br = zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } });
    const gz = zlib.gzipSync(raw, { level: 9 });
    fs.writeFileSync(f + '.br', br);
    fs.writeFileSync(f + '.gz', gz);
    sizes[path.relative(dist, f).split(path.sep).join('/')] = { raw: raw.length, gzip: gz.length, br: br.length };
  }
}
compressAll(dist);

const report = {};
for (const p of PAGES) {
  const files = [p.file, ...pageFiles[p.name].files];
  report[p.name] = {
    files,
    raw: files.reduce((s, f) => s + sizes[f].raw, 0),
    gzip: files.reduce((s, f) => s + sizes[f].gzip, 0),
    br: files.reduce((s, f) => s + sizes[f].br, 0),
  };
}
fs.writeFileSync(path.join(dist, 'sizes.json'), JSON.stringify(report, null, 1));
for (const [n, r] of Object.entries(report))
  console.log(`web: ${n.padEnd(10)} ${String(r.raw).padStart(8)} B raw ${String(r.gzip).padStart(8)} B gzip ${String(r.br).padStart(8)} B br`);
fs.writeFileSync(stamp, new Date().toISOString() + '\n');
