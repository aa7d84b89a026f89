#!/usr/bin/env node
/*
 * Paved benchmark: the figures that tell whether Paved stays close to a stock
 * Backstage app (create-app 0.9.2) on this project's machines.
 *
 *   node bench/run.js [--only=a,b] [--stock=/path] [--full] [--build] [--keep]
 *
 * Measurements (ids for --only):
 *   app-initial-js   gzip (level 6) and raw size of the <script src> files in
 *                    packages/app/dist/index.html
 *   backend-rss      RSS of the production backend bundle, production config on
 *                    PostgreSQL and the default config on SQLite
 *   start-to-ready   `npm start` in a fresh clone until :7007 is ready and :3000
 *                    serves HTML, then a second `npm start` in the same clone
 *   npm-test         `npm test` in a fresh clone (only with --only=npm-test or --full)
 *
 * With --stock=DIR the stock app in DIR is installed (with our registry pins),
 * built, and measured for app-initial-js and backend-rss the same way.
 *
 * Plain CommonJS, no dependencies of its own; `pg` comes from the repository's
 * node_modules. See bench/README.md.
 */
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { linkBundleNodeModules } = require('../scripts/bundle-node-modules');

const ROOT = path.resolve(__dirname, '..');
const RESULTS_DIR = path.join(__dirname, 'results');
const LOG_DIR = path.join(RESULTS_DIR, 'logs');
const YARN_RELEASE_REL = path.join('.yarn', 'releases', 'yarn-4.13.0.cjs');
const GZIP_LEVEL = 6; // zlib's default, what Express `compression` and nginx-style servers use
const KB = 1024;
const MB = 1024 * 1024;
const RSS_WINDOW_MS = 60_000;
const SETTLE_MS = 15_000;
const BACKEND_READY_TIMEOUT_MS = 180_000;
const START_TIMEOUT_MS = 20 * 60_000;
const TEST_TIMEOUT_MS = 45 * 60_000;
const PG = {
  host: '127.0.0.1',
  port: 5432,
  user: 'postgres',
  password: 'bench-unused-with-trust',
};
const ALL = ['app-initial-js', 'backend-rss', 'start-to-ready', 'npm-test'];
const DEFAULT = ['app-initial-js', 'backend-rss', 'start-to-ready'];

// ---------------------------------------------------------------- arguments

function parseArgs(argv) {
  const opts = {
    only: null,
    stock: null,
    full: false,
    build: false,
    keep: false,
    repeat: 1,
  };
  for (const arg of argv) {
    if (arg.startsWith('--only='))
      opts.only = arg
        .slice(7)
        .split(',')
        .map(s => s.trim())
        .filter(Boolean);
    else if (arg.startsWith('--stock='))
      opts.stock = path.resolve(arg.slice(8));
    else if (arg === '--full') opts.full = true;
    else if (arg === '--build') opts.build = true;
    else if (arg === '--keep') opts.keep = true;
    else if (arg.startsWith('--repeat='))
      opts.repeat = Math.max(1, Number(arg.slice(9)) || 1);
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(
        fs
          .readFileSync(__filename, 'utf8')
          .split('\n')
          .slice(1, 20)
          .join('\n') + '\n',
      );
      process.exit(0);
    } else {
      process.stderr.write(`bench: unknown argument ${arg} (see --help)\n`);
      process.exit(2);
    }
  }
  if (opts.only) {
    const unknown = opts.only.filter(m => !ALL.includes(m));
    if (unknown.length) {
      process.stderr.write(
        `bench: unknown measurement(s) ${unknown.join(', ')}; known: ${ALL.join(
          ', ',
        )}\n`,
      );
      process.exit(2);
    }
  }
  opts.selected = opts.only ?? (opts.full ? ALL : DEFAULT);
  return opts;
}

// ---------------------------------------------------------------- helpers

const sleep = ms => new Promise(r => setTimeout(r, ms));

function log(message) {
  process.stdout.write(`[bench] ${message}\n`);
}

function round(n, digits = 1) {
  if (n == null || Number.isNaN(n)) return n;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function majorOf(version) {
  return Number(String(version).replace(/^v/, '').split('.')[0]);
}

/** A Node 22/24 binary for yarn, builds and the backend bundle (Backstage 1.55 refuses Node 20). */
function findNode22() {
  const candidates = [
    process.env.BENCH_NODE,
    majorOf(process.versions.node) >= 22 ? process.execPath : undefined,
    '/tmp/n22/node_modules/node/bin/node',
    path.join(ROOT, '.paved/runtime/node_modules/node/bin/node'),
  ].filter(Boolean);
  for (const c of candidates) {
    if (!fs.existsSync(c)) continue;
    const v = spawnSync(c, ['--version'], { encoding: 'utf8' }).stdout?.trim();
    if (v && [22, 24].includes(majorOf(v))) return { bin: c, version: v };
  }
  return undefined;
}

/** Headers for native builds (better-sqlite3) under that Node; node-gyp cannot download them here. */
function nodedirFor(nodeBin) {
  const modules = path.resolve(path.dirname(nodeBin), '..', 'node_modules');
  if (!fs.existsSync(modules)) return undefined;
  return fs
    .readdirSync(modules)
    .map(d => path.join(modules, d))
    .find(d => fs.existsSync(path.join(d, 'include', 'node', 'node.h')));
}

/** The caller's environment without npm's per-run variables (they point yarn at npm's config). */
function cleanEnv(extra = {}) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('npm_') && key !== 'npm_config_nodedir') delete env[key];
  }
  return { ...env, ...extra };
}

function yarnEnv(node) {
  const env = cleanEnv({
    PATH: [path.dirname(node.bin), process.env.PATH].join(path.delimiter),
    YARN_ENABLE_TELEMETRY: '0',
  });
  const nodedir = nodedirFor(node.bin);
  if (nodedir) env.npm_config_nodedir = nodedir;
  return env;
}

/** Live child process groups, killed on exit or interrupt. */
const liveGroups = new Set();

/**
 * Spawns a command detached (its own process group), output to a log file.
 * Returns { child, done: Promise<{code, signal}>, output() }.
 */
function spawnLogged(
  command,
  args,
  { cwd, env, logName, keepOutput = true, onData: watch },
) {
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const logFile = path.join(LOG_DIR, `${logName}.log`);
  const out = fs.openSync(logFile, 'w');
  fs.writeSync(out, `$ (cd ${cwd} && ${command} ${args.join(' ')})\n`);
  let tail = '';
  const child = spawn(command, args, {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveGroups.add(child.pid);
  const onData = d => {
    fs.writeSync(out, d);
    if (keepOutput) tail = (tail + d).slice(-200_000);
    if (watch) watch(String(d));
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const done = new Promise(resolve => {
    child.on('error', error => {
      fs.writeSync(out, `\n[bench] spawn error: ${error.message}\n`);
      resolve({ code: -1, signal: null, error });
    });
    child.on('close', (code, signal) => {
      liveGroups.delete(child.pid);
      try {
        fs.closeSync(out);
      } catch {}
      resolve({ code, signal });
    });
  });
  return { child, done, output: () => tail, logFile };
}

/** All descendants of a pid (from /proc/PID/stat's ppid field). */
function descendants(rootPid) {
  const children = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(name));
    } catch {
      // gone
    }
  }
  const out = [];
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    for (const c of children.get(pid) ?? []) {
      out.push(c);
      stack.push(c);
    }
  }
  return out;
}

/** Processes whose working directory is inside dir (what a run in a temp clone left behind). */
function processesUnder(dir) {
  const out = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cwd = fs.readlinkSync(`/proc/${name}/cwd`);
      if (cwd === dir || cwd.startsWith(dir + path.sep)) out.push(Number(name));
    } catch {
      // gone or not ours
    }
  }
  return out;
}

function signal(pids, sig) {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {}
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops a detached process group and everything it started: SIGTERM to the
 * group and to every descendant (some tools put children in groups of their
 * own), SIGKILL after a grace period, then anything still running inside
 * `dir` (only processes this bench started run there).
 */
async function stopTree(handle, { dir, graceMs = 10_000 } = {}) {
  const pid = handle.child.pid;
  if (!pid) return;
  const tree = [pid, ...descendants(pid)];
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {}
  signal(tree, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && tree.some(alive)) await sleep(200);
  const left = [...tree.filter(alive), ...(dir ? processesUnder(dir) : [])];
  if (left.length) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {}
    signal(left, 'SIGKILL');
  }
  await Promise.race([handle.done, sleep(5000)]);
  liveGroups.delete(pid);
}

function killAllGroupsSync() {
  for (const pid of liveGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {}
  }
}

async function run(command, args, options) {
  const h = spawnLogged(command, args, options);
  let timer;
  const timeout = options.timeoutMs
    ? new Promise(resolve => {
        timer = setTimeout(async () => {
          await stopTree(h, { dir: options.cwd });
          resolve({ code: null, timedOut: true });
        }, options.timeoutMs);
      })
    : new Promise(() => {});
  const res = await Promise.race([h.done, timeout]);
  clearTimeout(timer);
  return { ...res, output: h.output(), logFile: h.logFile };
}

function lastLines(text, n = 15) {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}

/** Memory of one process from /proc/PID/status, in bytes. */
function procMem(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = key => {
      const m = status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
      return m ? Number(m[1]) * 1024 : 0;
    };
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/** Is anything listening on the port (any address)? */
function portInUse(port) {
  const tryHost = host =>
    new Promise(resolve => {
      const server = net.createServer();
      server.once('error', err =>
        resolve(err.code === 'EADDRINUSE' || err.code === 'EACCES'),
      );
      server.listen({ port, host, exclusive: true }, () =>
        server.close(() => resolve(false)),
      );
    });
  const tryConnect = host =>
    new Promise(resolve => {
      const sock = net.connect({ port, host });
      sock.setTimeout(1000);
      sock.once('connect', () => {
        sock.destroy();
        resolve(true);
      });
      sock.once('error', () => resolve(false));
      sock.once('timeout', () => {
        sock.destroy();
        resolve(false);
      });
    });
  return Promise.all([
    tryHost('0.0.0.0'),
    tryConnect('127.0.0.1'),
    tryConnect('::1').catch(() => false),
  ]).then(r => r.some(Boolean));
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** pid of the process listening on a TCP port, from /proc/net/tcp{,6} and the fds. */
function listenerPid(port) {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
        const cols = line.trim().split(/\s+/);
        if (cols.length < 10) continue;
        if (cols[1].endsWith(`:${hexPort}`) && cols[3] === '0A')
          inodes.add(cols[9]);
      }
    } catch {}
  }
  if (!inodes.size) return undefined;
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let fds;
    try {
      fds = fs.readdirSync(`/proc/${name}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = fs
          .readlinkSync(`/proc/${name}/fd/${fd}`)
          .match(/^socket:\[(\d+)\]$/);
        if (m && inodes.has(m[1])) return Number(name);
      } catch {}
    }
  }
  return undefined;
}

async function httpStatus(url, { wantHtml = false } = {}) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    const body = await res.text();
    if (wantHtml && !/<html|<!doctype html/i.test(body))
      return { ok: false, status: res.status };
    return { ok: res.status === 200, status: res.status };
  } catch (error) {
    return { ok: false, status: error.cause?.code ?? error.name };
  }
}

function gitHead(dir) {
  const r = spawnSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], {
    encoding: 'utf8',
  });
  const s = spawnSync('git', ['-C', dir, 'status', '--porcelain'], {
    encoding: 'utf8',
  });
  // The bench's own folder does not count: it is what runs.
  const changed = s.stdout
    .split('\n')
    .filter(l => l.trim() && !/^.. "?bench\//.test(l));
  return r.status === 0
    ? {
        commit: r.stdout.trim(),
        dirty: changed.length > 0,
        changed: changed.slice(0, 20),
      }
    : undefined;
}

function requirePg() {
  return require(require.resolve('pg', { paths: [ROOT] }));
}

// ---------------------------------------------------------------- subjects

/** What differs between Paved and the stock app when running its bundle. */
function subjects(opts) {
  const list = [
    {
      key: 'ours',
      name: 'Paved',
      dir: ROOT,
      imageFiles: [
        'app-config.yaml',
        'app-config.production.yaml',
        'catalog-info.yaml',
        'catalog',
        'templates',
      ],
    },
  ];
  if (opts.stock) {
    list.push({
      key: 'stock',
      name: 'stock create-app',
      dir: opts.stock,
      imageFiles: [
        'app-config.yaml',
        'app-config.production.yaml',
        'catalog-info.yaml',
        'examples',
      ],
      devLocations: [
        { type: 'file', target: './examples/entities.yaml' },
        {
          type: 'file',
          target: './examples/template/template.yaml',
          rules: [{ allow: ['Template'] }],
        },
        {
          type: 'file',
          target: './examples/org.yaml',
          rules: [{ allow: ['User', 'Group'] }],
        },
      ],
    });
  }
  return list;
}

// ---------------------------------------------------------------- preparation

/** Adds our registry pins to the stock package.json, installs and builds it when needed. */
async function prepareStock(subject, node) {
  const dir = subject.dir;
  const pkgFile = path.join(dir, 'package.json');
  if (!fs.existsSync(pkgFile)) throw new Error(`${pkgFile} does not exist`);
  const ours = JSON.parse(
    fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'),
  );
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
  const pins = ours.resolutions ?? {};
  const missing = Object.entries(pins).filter(
    ([k, v]) => pkg.resolutions?.[k] !== v,
  );
  if (missing.length) {
    pkg.resolutions = { ...(pkg.resolutions ?? {}), ...pins };
    fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2) + '\n');
    log(
      `stock: added registry pins to ${pkgFile}: ${missing
        .map(([k, v]) => `${k}@${v}`)
        .join(', ')}`,
    );
  }
  const yarn = path.join(dir, YARN_RELEASE_REL);
  if (!fs.existsSync(yarn)) throw new Error(`${yarn} is missing`);
  const stamp = path.join(dir, 'node_modules', '.bench-install');
  const fingerprint = () => {
    const h = crypto.createHash('sha256');
    for (const f of [
      'package.json',
      'yarn.lock',
      'packages/app/package.json',
      'packages/backend/package.json',
    ]) {
      const p = path.join(dir, f);
      if (fs.existsSync(p)) h.update(f).update(fs.readFileSync(p));
    }
    return h.update(node.bin).digest('hex');
  };
  if (
    !fs.existsSync(stamp) ||
    fs.readFileSync(stamp, 'utf8') !== fingerprint()
  ) {
    // create-app's caret ranges pick up whatever the registry holds today: on
    // 2026-12-01 they gave plugin-signals-backend 0.3.21 with backend-defaults
    // 0.18.0, a stock backend that cannot start. Seeding the stock lockfile with
    // ours resolves both apps to the same Backstage 1.55 package versions.
    fs.copyFileSync(path.join(ROOT, 'yarn.lock'), path.join(dir, 'yarn.lock'));
    log(`stock: yarn install in ${dir} (log: results/logs/stock-install.log)`);
    const t0 = Date.now();
    const res = await run(node.bin, [yarn, 'install'], {
      cwd: dir,
      env: yarnEnv(node),
      logName: 'stock-install',
      timeoutMs: 30 * 60_000,
    });
    if (res.code !== 0)
      throw new Error(
        `stock yarn install failed (exit ${res.code}):\n${lastLines(
          res.output,
        )}`,
      );
    fs.writeFileSync(stamp, fingerprint());
    log(`stock: installed in ${round((Date.now() - t0) / 1000, 0)} s`);
  }
  await ensureBuild(subject, node, { force: false });
}

function buildPresent(dir) {
  return (
    fs.existsSync(path.join(dir, 'packages/app/dist/index.html')) &&
    fs.existsSync(path.join(dir, 'packages/backend/dist/bundle.tar.gz'))
  );
}

async function ensureBuild(subject, node, { force }) {
  const dir = subject.dir;
  if (!force && buildPresent(dir)) return;
  if (!node)
    throw new Error('no Node 22/24 found to build with (set BENCH_NODE)');
  log(
    `${subject.name}: ${
      force
        ? 'rebuilding (--build)'
        : 'no production build (packages/app/dist/index.html or packages/backend/dist/bundle.tar.gz missing)'
    }: running yarn tsc and yarn build:all (log: results/logs/${
      subject.key
    }-build.log)`,
  );
  const t0 = Date.now();
  // Packages are built from the declarations tsc writes to dist-types, as
  // Backstage's own docs and npm test do: tsc first.
  for (const script of ['tsc', 'build:all']) {
    const res = await run(
      node.bin,
      [path.join(dir, YARN_RELEASE_REL), script],
      {
        cwd: dir,
        env: yarnEnv(node),
        logName: `${subject.key}-${script === 'tsc' ? 'tsc' : 'build'}`,
        timeoutMs: 20 * 60_000,
      },
    );
    if (res.code !== 0 || (script === 'build:all' && !buildPresent(dir))) {
      throw new Error(
        `yarn ${script} failed in ${dir} (exit ${res.code}):\n${lastLines(
          res.output,
        )}`,
      );
    }
  }
  log(`${subject.name}: built in ${round((Date.now() - t0) / 1000, 0)} s`);
}

// ---------------------------------------------------------------- 1. app-initial-js

function measureInitialJs(dir) {
  const distDir = path.join(dir, 'packages/app/dist');
  const html = fs.readFileSync(path.join(distDir, 'index.html'), 'utf8');
  // The <script type="backstage.io/config"> block has no src and is not JS.
  const srcs = [
    ...html.matchAll(/<script\b[^>]*\bsrc=["']?([^"' >]+)["']?[^>]*>/gi),
  ].map(m => m[1]);
  const cssHrefs = [
    ...html.matchAll(/<link\b[^>]*\brel=["']?stylesheet["']?[^>]*>/gi),
  ]
    .map(m => m[0].match(/\bhref=["']?([^"' >]+)/i)?.[1])
    .filter(Boolean);
  const local = src => {
    const u = src.replace(/^https?:\/\/[^/]+/, '').split(/[?#]/)[0];
    // the public path may carry a prefix; the files are under dist/static
    const idx = u.indexOf('/static/');
    return path.join(
      distDir,
      idx >= 0 ? u.slice(idx + 1) : u.replace(/^\//, ''),
    );
  };
  const sizes = files => {
    let raw = 0;
    let gz = 0;
    for (const f of files) {
      const buf = fs.readFileSync(f);
      raw += buf.length;
      gz += zlib.gzipSync(buf, { level: GZIP_LEVEL }).length;
    }
    return { raw, gzip: gz };
  };
  const jsFiles = srcs.map(local);
  const missing = jsFiles.filter(f => !fs.existsSync(f));
  if (!jsFiles.length)
    throw new Error(`no <script src> in ${distDir}/index.html`);
  if (missing.length)
    throw new Error(
      `index.html references missing files: ${missing.join(', ')}`,
    );
  const js = sizes(jsFiles);
  const css = sizes(cssHrefs.map(local).filter(f => fs.existsSync(f)));
  let allJsRaw = 0;
  let allJsCount = 0;
  const walk = d => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js')) {
        allJsRaw += fs.statSync(p).size;
        allJsCount++;
      }
    }
  };
  walk(path.join(distDir, 'static'));
  const builtAt = fs
    .statSync(path.join(distDir, 'index.html'))
    .mtime.toISOString();
  return {
    scripts: jsFiles.length,
    gzipKB: round(js.gzip / KB),
    rawKB: round(js.raw / KB),
    cssGzipKB: round(css.gzip / KB),
    allJsChunks: allJsCount,
    allJsRawKB: round(allJsRaw / KB),
    gzipLevel: GZIP_LEVEL,
    builtAt,
    files: jsFiles.map(f => path.relative(distDir, f)),
  };
}

// ---------------------------------------------------------------- 2. backend-rss

function unpackBundle(subject) {
  const dir = subject.dir;
  const bundle = path.join(dir, 'packages/backend/dist/bundle.tar.gz');
  const out = fs.mkdtempSync(
    path.join(os.tmpdir(), `paved-bench-${subject.key}-`),
  );
  const tar = spawnSync('tar', ['xzf', bundle, '-C', out], {
    encoding: 'utf8',
  });
  if (tar.status !== 0)
    throw new Error(`tar xzf ${bundle} failed: ${tar.stderr}`);
  for (const f of subject.imageFiles) {
    const src = path.join(dir, f);
    if (fs.existsSync(src))
      fs.cpSync(src, path.join(out, f), { recursive: true });
  }
  // The bundle's workspace packages must resolve to their built copies in it.
  linkBundleNodeModules(out, dir);
  return out;
}

async function dropDatabases(prefix) {
  const { Client } = requirePg();
  const admin = new Client({
    ...PG,
    database: 'postgres',
    connectionTimeoutMillis: 5000,
  });
  await admin.connect();
  try {
    const { rows } = await admin.query('SELECT datname FROM pg_database');
    const names = rows.map(r => r.datname).filter(n => n.startsWith(prefix));
    for (const n of names)
      await admin.query(`DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`);
    return names.length;
  } finally {
    await admin.end().catch(() => {});
  }
}

async function checkPostgres() {
  const { Client } = requirePg();
  const c = new Client({
    ...PG,
    database: 'postgres',
    connectionTimeoutMillis: 3000,
  });
  try {
    await c.connect();
    await c.query('SELECT 1');
  } finally {
    await c.end().catch(() => {});
  }
}

/**
 * Runs the unpacked bundle with the given configs, samples its memory every
 * 250 ms from spawn until both 60 s have passed and readiness + 15 s, and stops it.
 */
async function measureBackend(subject, node, mode) {
  const bundleDir = unpackBundle(subject);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const prefix = `bench_${subject.key}_${process.pid}_${Date.now().toString(
    36,
  )}_`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `paved-bench-data-`));
  // `backend.listen` must keep the type the subject's own files give it (stock: ':7007', Paved: { port }).
  const listenIsString = ['app-config.yaml', 'app-config.production.yaml'].some(
    f => {
      const p = path.join(bundleDir, f);
      return (
        fs.existsSync(p) &&
        /^\s+listen:\s*['"]/m.test(fs.readFileSync(p, 'utf8'))
      );
    },
  );
  const override = {
    app: { baseUrl: base },
    backend: {
      baseUrl: base,
      listen: listenIsString
        ? `127.0.0.1:${port}`
        : { port, host: '127.0.0.1' },
      cors: { origin: base },
    },
  };
  const configs = ['app-config.yaml'];
  let env = { PATH: process.env.PATH, HOME: process.env.HOME };
  if (mode === 'prod') {
    configs.push('app-config.production.yaml');
    override.backend.database = { prefix };
    env = {
      ...env,
      NODE_ENV: 'production',
      POSTGRES_HOST: PG.host,
      POSTGRES_PORT: String(PG.port),
      POSTGRES_USER: PG.user,
      POSTGRES_PASSWORD: PG.password,
      BACKEND_SECRET: 'bench-backend-secret-0123456789abcdef',
      AUTH_GITHUB_CLIENT_ID: 'bench-client-id',
      AUTH_GITHUB_CLIENT_SECRET: 'bench-client-secret',
      // Production refuses to start without a random plan key of 32 bytes.
      PAVED_TERRAFORM_PLAN_KEY: 'Qm4tW8zC1vN6bR3yH9kP2sX5jL7dF0gA4eT8uM1oZ6c=',
    };
  } else {
    // Stock's file locations are relative to packages/backend; ours take the
    // repository root from PAVED_REPO_DIR. The bundle runs from its root.
    if (subject.devLocations) {
      override.catalog = { locations: subject.devLocations };
    }
    env = {
      ...env,
      NODE_ENV: 'development',
      PAVED_DATA_DIR: dataDir,
      PAVED_REPO_DIR: bundleDir,
    };
  }
  const overrideFile = path.join(bundleDir, 'app-config.bench.json');
  fs.writeFileSync(overrideFile, JSON.stringify(override, null, 2));
  configs.push(overrideFile);
  const args = ['packages/backend'];
  for (const c of configs) args.push('--config', c);

  const t0 = Date.now();
  const h = spawnLogged(node.bin, args, {
    cwd: bundleDir,
    env,
    logName: `backend-${subject.key}-${mode}`,
  });
  let exited = null;
  h.done.then(r => (exited = r));
  const samples = [];
  let readyAt = null;
  let settled = null;
  let lastPoll = 0;
  try {
    for (;;) {
      const t = Date.now() - t0;
      if (exited) {
        throw new Error(
          `backend exited (code ${exited.code}, signal ${
            exited.signal
          }) after ${round(t / 1000)} s${
            readyAt ? '' : ' before ready'
          }:\n${lastLines(h.output(), 25)}`,
        );
      }
      const pids = [h.child.pid, ...descendants(h.child.pid)];
      let rss = 0;
      let hwm = 0;
      for (const pid of pids) {
        const m = procMem(pid);
        if (m) {
          rss += m.rss;
          hwm = Math.max(hwm, m.hwm);
        }
      }
      samples.push({ t, rss, hwm, procs: pids.length });
      if (readyAt === null && t - lastPoll >= 500) {
        lastPoll = t;
        const r = await httpStatus(`${base}/.backstage/health/v1/readiness`);
        if (r.ok) readyAt = Date.now() - t0;
        else if (
          /Unhandled rejection|Backend failed to start/i.test(h.output())
        ) {
          throw new Error(
            `backend failed to start:\n${lastLines(h.output(), 25)}`,
          );
        } else if (t > BACKEND_READY_TIMEOUT_MS) {
          throw new Error(
            `not ready after ${BACKEND_READY_TIMEOUT_MS / 1000} s (last: ${
              r.status
            }):\n${lastLines(h.output(), 25)}`,
          );
        }
      }
      if (readyAt !== null && settled === null && t >= readyAt + SETTLE_MS)
        settled = samples[samples.length - 1];
      if (settled && t >= RSS_WINDOW_MS) break;
      await sleep(250);
    }
    const inWindow = samples.filter(s => s.t <= RSS_WINDOW_MS);
    const maxRss = Math.max(...inWindow.map(s => s.rss));
    const hwmAt60 = inWindow[inWindow.length - 1].hwm;
    return {
      mode,
      config: configs.map(c => path.basename(c)),
      readyS: round(readyAt / 1000),
      rssSettledMB: round(settled.rss / MB),
      settledAtS: round(settled.t / 1000),
      rssMax60MB: round(maxRss / MB),
      vmHwm60MB: round(hwmAt60 / MB),
      processes: settled.procs,
      log: path.relative(ROOT, h.logFile),
    };
  } finally {
    await stopTree(h, { dir: bundleDir });
    if (mode === 'prod') {
      try {
        const n = await dropDatabases(prefix);
        log(`  dropped ${n} database(s) ${prefix}*`);
      } catch (error) {
        log(`  could not drop databases ${prefix}*: ${error.message}`);
      }
    }
    fs.rmSync(bundleDir, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The median of each figure over the runs (the runs themselves are kept in the JSON). */
function summarize(runs) {
  if (runs.length === 1) return runs[0];
  const median = xs => {
    const v = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(v.length / 2);
    return v.length % 2 ? v[mid] : round((v[mid - 1] + v[mid]) / 2);
  };
  const out = { ...runs[0], runs };
  for (const k of [
    'readyS',
    'rssSettledMB',
    'settledAtS',
    'rssMax60MB',
    'vmHwm60MB',
  ])
    out[k] = median(runs.map(r => r[k]));
  out.rssSettledRangeMB = [
    Math.min(...runs.map(r => r.rssSettledMB)),
    Math.max(...runs.map(r => r.rssSettledMB)),
  ];
  return out;
}

// ---------------------------------------------------------------- 3. start-to-ready

function freshClone(label) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `paved-bench-${label}-`));
  const res = spawnSync(
    'git',
    ['clone', '--quiet', '--no-hardlinks', ROOT, dir],
    { encoding: 'utf8' },
  );
  if (res.status !== 0)
    throw new Error(`git clone ${ROOT} failed: ${res.stderr}`);
  return dir;
}

function removeClone(dir, opts) {
  if (opts.keep) {
    log(`  kept ${dir} (--keep)`);
    return;
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

/** `npm start` until the backend is ready and the frontend serves HTML; returns the timings. */
async function timedStart(clone, label, { measureRss }) {
  const env = cleanEnv({ BROWSER: 'none' });
  delete env.CI;
  const t0 = Date.now();
  let setupAt = null; // when paved.js hands over to `backstage-cli repo start`
  const h = spawnLogged('npm', ['start'], {
    cwd: clone,
    env,
    logName: `npm-start-${label}`,
    onData: d => {
      if (setupAt === null && d.includes('[paved] starting the portal'))
        setupAt = Date.now() - t0;
    },
  });
  let exited = null;
  h.done.then(r => (exited = r));
  let backendAt = null;
  let frontendAt = null;
  let stop = false;
  // Two independent pollers: a frontend request can be held while the dev server compiles.
  const poll = async (url, wantHtml, set) => {
    while (!stop) {
      const r = await httpStatus(url, { wantHtml });
      if (r.ok) return set(Date.now() - t0);
      await sleep(500);
    }
  };
  const pollers = [
    poll(
      'http://localhost:7007/.backstage/health/v1/readiness',
      false,
      t => (backendAt = t),
    ),
    poll('http://localhost:3000/', true, t => (frontendAt = t)),
  ];
  try {
    while (backendAt === null || frontendAt === null) {
      if (exited) {
        throw new Error(
          `npm start exited (code ${exited.code}, signal ${
            exited.signal
          }) before ready:\n${lastLines(h.output(), 25)}`,
        );
      }
      if (Date.now() - t0 > START_TIMEOUT_MS) {
        throw new Error(
          `not ready within ${START_TIMEOUT_MS / 60000} min (backend ${
            backendAt !== null
          }, frontend ${frontendAt !== null}):\n${lastLines(h.output(), 25)}`,
        );
      }
      await sleep(200);
    }
    const result = {
      readyS: round(Math.max(backendAt, frontendAt) / 1000),
      setupS: setupAt === null ? null : round(setupAt / 1000),
      backendReadyS: round(backendAt / 1000),
      frontendReadyS: round(frontendAt / 1000),
      installed: /installing dependencies with yarn/.test(h.output()),
      runtimeInstalled: /installing Node [\d.]+ into \.paved\/runtime/.test(
        h.output(),
      ),
      log: path.relative(ROOT, h.logFile),
    };
    if (measureRss) {
      await sleep(SETTLE_MS);
      const backendPid = listenerPid(7007);
      const m = backendPid && procMem(backendPid);
      if (m) result.devBackendRssMB = round(m.rss / MB);
      let total = 0;
      for (const pid of [h.child.pid, ...descendants(h.child.pid)])
        total += procMem(pid)?.rss ?? 0;
      result.treeRssMB = round(total / MB);
    }
    return result;
  } finally {
    stop = true;
    await stopTree(h, { dir: clone });
    await Promise.race([Promise.all(pollers), sleep(12_000)]);
    for (
      let i = 0;
      i < 40 && ((await portInUse(3000)) || (await portInUse(7007)));
      i++
    )
      await sleep(500);
  }
}

async function measureStart(opts) {
  const busy = [];
  for (const port of [3000, 7007]) if (await portInUse(port)) busy.push(port);
  if (busy.length) {
    const who = busy
      .map(p => `${p}${listenerPid(p) ? ` (pid ${listenerPid(p)})` : ''}`)
      .join(', ');
    throw new Error(
      `port(s) ${who} already in use: stop whatever listens there (another \`npm start\`?) and run again`,
    );
  }
  const nodeOnPath = spawnSync('node', ['--version'], {
    encoding: 'utf8',
  }).stdout?.trim();
  const clone = freshClone('start');
  log(`  fresh clone ${clone} (HEAD of ${ROOT}); node on PATH ${nodeOnPath}`);
  try {
    const first = await timedStart(clone, 'first', { measureRss: false });
    log(
      `  first npm start ready in ${first.readyS} s; stopped, starting again`,
    );
    const second = await timedStart(clone, 'second', { measureRss: true });
    return { nodeOnPath, first, second };
  } finally {
    removeClone(clone, opts);
  }
}

// ---------------------------------------------------------------- 4. npm-test

async function measureNpmTest(opts) {
  const clone = freshClone('test');
  log(`  fresh clone ${clone}; npm test (log: results/logs/npm-test.log)`);
  try {
    const env = cleanEnv();
    delete env.CI;
    const t0 = Date.now();
    const res = await run('npm', ['test'], {
      cwd: clone,
      env,
      logName: 'npm-test',
      timeoutMs: TEST_TIMEOUT_MS,
    });
    const wall = (Date.now() - t0) / 1000;
    const closing = res.output
      .split('\n')
      .map(l => l.trim())
      .filter(l => /^(\w+: )?\d+ passed, \d+ failed(, \d+ skipped)?$/.test(l))
      .pop();
    if (res.timedOut)
      throw new Error(
        `npm test did not finish within ${TEST_TIMEOUT_MS / 60000} min`,
      );
    if (!closing)
      throw new Error(
        `npm test printed no closing "N passed, N failed" line (exit ${
          res.code
        }):\n${lastLines(res.output)}`,
      );
    return {
      wallS: round(wall, 0),
      closing,
      exitCode: res.code,
      log: path.relative(ROOT, res.logFile),
    };
  } finally {
    removeClone(clone, opts);
  }
}

// ---------------------------------------------------------------- table

function fmt(v) {
  if (v === undefined || v === null) return '-';
  return String(v);
}

function printTable(rows, hasStock) {
  const head = hasStock
    ? ['measurement', 'Paved', 'stock', 'ratio', 'target']
    : ['measurement', 'Paved'];
  const body = rows.map(r => {
    const cells = [r.label, fmt(r.ours)];
    if (hasStock) {
      let ratio = '-';
      if (
        typeof r.ours === 'number' &&
        typeof r.stock === 'number' &&
        r.stock > 0
      )
        ratio = `${(r.ours / r.stock).toFixed(2)}x`;
      let target = '';
      if (r.target && ratio !== '-') {
        const ok = r.ours / r.stock <= r.target;
        target = `<= ${r.target.toFixed(1)}x ${ok ? 'PASS' : 'FAIL'}`;
      } else if (r.target) target = `<= ${r.target.toFixed(1)}x ?`;
      cells.push(fmt(r.stock), ratio, target);
    }
    return cells;
  });
  const widths = head.map((h, i) =>
    Math.max(h.length, ...body.map(b => b[i].length)),
  );
  const line = cells =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ');
  const out = [
    line(head),
    widths.map(w => '-'.repeat(w)).join('  '),
    ...body.map(line),
  ];
  process.stdout.write('\n' + out.join('\n') + '\n');
}

// ---------------------------------------------------------------- main

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const startedAt = new Date();
  const node = findNode22();
  const subs = subjects(opts);
  const results = {
    startedAt: startedAt.toISOString(),
    repo: ROOT,
    git: gitHead(ROOT),
    stockDir: opts.stock,
    node22: node ?? null,
    benchNode: process.version,
    machine: {
      cpus: os.cpus().length,
      memGB: round(os.totalmem() / 1024 ** 3, 0),
      loadavgAtStart: os.loadavg().map(l => round(l, 2)),
    },
    units: { KB: 1024, MB: 1024 * 1024, gzipLevel: GZIP_LEVEL },
    measurements: {},
    failures: [],
  };
  const rows = [];
  const notes = [];
  let failed = 0;

  const fail = (id, error) => {
    failed++;
    const reason = error?.message ?? String(error);
    results.failures.push({ id, reason });
    log(`FAILED ${id}: ${reason}`);
  };
  const sel = id => opts.selected.includes(id);

  const onSignal = sig => {
    log(`${sig}: stopping what the bench started`);
    killAllGroupsSync();
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', killAllGroupsSync);

  log(
    `Paved ${
      results.git
        ? `${results.git.commit}${
            results.git.dirty ? ' (uncommitted changes in the work tree)' : ''
          }`
        : ''
    }; measurements: ${opts.selected.join(', ')}${
      opts.stock ? `; stock: ${opts.stock}` : ''
    }`,
  );
  if (!node)
    log(
      'no Node 22/24 found (BENCH_NODE, /tmp/n22, .paved/runtime): builds and backend runs will fail',
    );
  else log(`Node for yarn and the backend: ${node.version} (${node.bin})`);

  // Preparation: builds (ours, and the stock app's install + build).
  const ready = {};
  const needBuild = sel('app-initial-js') || sel('backend-rss');
  for (const s of subs) {
    if (!needBuild) break;
    try {
      if (s.key === 'stock') await prepareStock(s, node);
      else await ensureBuild(s, node, { force: opts.build });
      ready[s.key] = true;
    } catch (error) {
      ready[s.key] = error;
      fail(`${s.key}:build`, error);
    }
  }

  const per = {};
  for (const s of subs) per[s.key] = {};

  // 1. app-initial-js
  if (sel('app-initial-js')) {
    for (const s of subs) {
      log(`app-initial-js: ${s.name}`);
      try {
        if (ready[s.key] !== true)
          throw new Error(
            `no build: ${ready[s.key]?.message ?? 'not prepared'}`,
          );
        per[s.key].appInitialJs = measureInitialJs(s.dir);
        const m = per[s.key].appInitialJs;
        log(
          `  ${m.scripts} scripts, ${m.gzipKB} KB gzip-${GZIP_LEVEL}, ${m.rawKB} KB raw (build of ${m.builtAt})`,
        );
      } catch (error) {
        per[s.key].appInitialJs = { error: error.message };
        fail(`${s.key}:app-initial-js`, error);
      }
    }
    const a = k => per[k]?.appInitialJs;
    rows.push(
      {
        label: `app initial JS, gzip level ${GZIP_LEVEL} (KB)`,
        ours: a('ours')?.gzipKB,
        stock: a('stock')?.gzipKB,
        target: opts.stock ? 1.0 : undefined,
      },
      {
        label: 'app initial JS, raw (KB)',
        ours: a('ours')?.rawKB,
        stock: a('stock')?.rawKB,
      },
      {
        label: 'app initial <script> files',
        ours: a('ours')?.scripts,
        stock: a('stock')?.scripts,
      },
      {
        label: `app initial CSS, gzip level ${GZIP_LEVEL} (KB)`,
        ours: a('ours')?.cssGzipKB,
        stock: a('stock')?.cssGzipKB,
      },
      {
        label: 'app all JS chunks, raw (KB)',
        ours: a('ours')?.allJsRawKB,
        stock: a('stock')?.allJsRawKB,
      },
    );
    if (a('ours')?.files && a('stock')?.files) {
      // Chunk names without their content hash, to say which initial chunks differ.
      const names = m =>
        m.files.map(f =>
          path.basename(f).replace(/\.[0-9a-f]{8,}\.js$/, '.js'),
        );
      const ours = names(a('ours'));
      const stock = names(a('stock'));
      const onlyOurs = ours.filter(n => !stock.includes(n));
      const onlyStock = stock.filter(n => !ours.includes(n));
      if (onlyOurs.length || onlyStock.length) {
        notes.push(
          `initial scripts only in Paved: ${
            onlyOurs.join(', ') || 'none'
          }; only in stock: ${onlyStock.join(', ') || 'none'}`,
        );
      }
    }
  }

  // 2. backend-rss
  if (sel('backend-rss')) {
    let pgError;
    try {
      await checkPostgres();
    } catch (error) {
      pgError = new Error(
        `PostgreSQL not reachable at ${PG.host}:${PG.port} as ${PG.user}: ${error.message}`,
      );
    }
    for (const mode of ['prod', 'dev']) {
      for (const s of subs) {
        const label =
          mode === 'prod'
            ? 'production config, PostgreSQL'
            : 'default config, SQLite';
        log(`backend-rss: ${s.name}, ${label} (about 60 s)`);
        const key = mode === 'prod' ? 'backendRssProd' : 'backendRssDev';
        try {
          if (ready[s.key] !== true)
            throw new Error(
              `no build: ${ready[s.key]?.message ?? 'not prepared'}`,
            );
          if (!node) throw new Error('no Node 22/24 to run the bundle');
          if (mode === 'prod' && pgError) throw pgError;
          const runs = [];
          for (let i = 0; i < opts.repeat; i++) {
            const m = await measureBackend(s, node, mode);
            runs.push(m);
            log(
              `  ${
                opts.repeat > 1 ? `run ${i + 1}/${opts.repeat}: ` : ''
              }ready in ${m.readyS} s; RSS ${
                m.rssSettledMB
              } MB at ready+15 s, max ${m.rssMax60MB} MB in 60 s (VmHWM ${
                m.vmHwm60MB
              } MB)`,
            );
          }
          per[s.key][key] = summarize(runs);
        } catch (error) {
          per[s.key][key] = { error: error.message };
          fail(`${s.key}:backend-rss:${mode}`, error);
        }
      }
    }
    const b = (k, key) => per[k]?.[key];
    for (const [key, what] of [
      ['backendRssProd', 'prod/PG'],
      ['backendRssDev', 'dev/SQLite'],
    ]) {
      rows.push(
        {
          label: `backend RSS ${what}, ready+15 s (MB)`,
          ours: b('ours', key)?.rssSettledMB,
          stock: b('stock', key)?.rssSettledMB,
          target: opts.stock ? 1.2 : undefined,
        },
        {
          label: `backend RSS ${what}, max first 60 s (MB)`,
          ours: b('ours', key)?.rssMax60MB,
          stock: b('stock', key)?.rssMax60MB,
        },
        {
          label: `backend VmHWM ${what}, at 60 s (MB)`,
          ours: b('ours', key)?.vmHwm60MB,
          stock: b('stock', key)?.vmHwm60MB,
        },
        {
          label: `backend ${what} spawn to ready (s)`,
          ours: b('ours', key)?.readyS,
          stock: b('stock', key)?.readyS,
        },
      );
    }
  }

  // 3. start-to-ready
  if (sel('start-to-ready')) {
    log('start-to-ready: npm start in a fresh clone, twice (several minutes)');
    try {
      per.ours.startToReady = await measureStart(opts);
      const m = per.ours.startToReady;
      log(
        `  first ${m.first.readyS} s (install ${
          m.first.installed ? 'yes' : 'no'
        }), second ${m.second.readyS} s (install ${
          m.second.installed ? 'yes' : 'no'
        })`,
      );
    } catch (error) {
      per.ours.startToReady = { error: error.message };
      fail('ours:start-to-ready', error);
    }
    const m = per.ours.startToReady;
    rows.push(
      { label: 'npm start, fresh clone -> ready (s)', ours: m.first?.readyS },
      { label: '  runtime + yarn install done at (s)', ours: m.first?.setupS },
      { label: '  backend ready at (s)', ours: m.first?.backendReadyS },
      { label: '  frontend serves HTML at (s)', ours: m.first?.frontendReadyS },
      { label: 'npm start, second run -> ready (s)', ours: m.second?.readyS },
      { label: '  backend ready at (s)', ours: m.second?.backendReadyS },
      {
        label: '  frontend serves HTML at (s)',
        ours: m.second?.frontendReadyS,
      },
      {
        label: 'npm start dev backend RSS, ready+15 s (MB)',
        ours: m.second?.devBackendRssMB,
      },
      {
        label: 'npm start whole process tree RSS (MB)',
        ours: m.second?.treeRssMB,
      },
    );
    if (m.first && !m.first.installed)
      notes.push(
        'the first npm start did not install dependencies (unexpected in a fresh clone)',
      );
    if (m.second?.installed)
      notes.push('the second npm start reinstalled dependencies');
    if (m.first)
      notes.push(
        `npm start ran with ${
          m.nodeOnPath
        } on PATH; Node runtime set up by npm start: ${
          m.first.runtimeInstalled
            ? 'yes (into .paved/runtime)'
            : 'no (Node on PATH is already 22/24)'
        }`,
      );
  }

  // 4. npm-test
  if (sel('npm-test')) {
    log('npm-test: npm test in a fresh clone (10-15 min)');
    try {
      per.ours.npmTest = await measureNpmTest(opts);
      log(`  ${per.ours.npmTest.wallS} s: ${per.ours.npmTest.closing}`);
    } catch (error) {
      per.ours.npmTest = { error: error.message };
      fail('ours:npm-test', error);
    }
    rows.push(
      {
        label: 'npm test, fresh clone, wall time (s)',
        ours: per.ours.npmTest.wallS,
      },
      { label: 'npm test result', ours: per.ours.npmTest.closing ?? 'failed' },
    );
  }

  results.measurements = per;
  results.rows = rows;
  results.notes = notes;
  results.machine.loadavgAtEnd = os.loadavg().map(l => round(l, 2));
  results.finishedAt = new Date().toISOString();
  fs.writeFileSync(
    path.join(RESULTS_DIR, 'latest.json'),
    JSON.stringify(results, null, 2) + '\n',
  );

  printTable(rows, Boolean(opts.stock));
  process.stdout.write(
    `\nKB = 1024 bytes, MB = 1024^2 bytes; gzip at zlib level ${GZIP_LEVEL} (the default, as servers compress); ` +
      `RSS = VmRSS of the backend process (and any children); load average at start ${results.machine.loadavgAtStart.join(
        ' ',
      )}, at end ${results.machine.loadavgAtEnd.join(' ')}.\n`,
  );
  if (results.git?.dirty)
    notes.push(
      `the work tree of ${ROOT} has uncommitted changes: builds include them, fresh clones do not`,
    );
  for (const n of notes) process.stdout.write(`note: ${n}\n`);
  for (const f of results.failures)
    process.stdout.write(`FAILED ${f.id}: ${f.reason.split('\n')[0]}\n`);
  process.stdout.write(
    `results: ${path.relative(
      process.cwd(),
      path.join(RESULTS_DIR, 'latest.json'),
    )}; logs: ${path.relative(process.cwd(), LOG_DIR)}/\n`,
  );
  process.exitCode = failed ? 1 : 0;
}

main().catch(error => {
  process.stderr.write(`[bench] ${error.stack || error}\n`);
  killAllGroupsSync();
  process.exit(1);
});
