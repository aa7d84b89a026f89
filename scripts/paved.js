#!/usr/bin/env node
/*
 * Paved's own entry point for `npm start`, `npm test` and `npm run setup`.
 *
 * It must run on whatever Node the machine has (Node 20 included), before any
 * dependency is installed, so it is plain CommonJS with no dependencies. It
 * provides what Backstage 1.55 needs (a Node 22 runtime when the machine's is
 * older, the repository's own yarn, the packages) and then hands over to yarn.
 */
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const STATE_DIR = path.join(ROOT, '.paved');
const RUNTIME_DIR = path.join(STATE_DIR, 'runtime');
const SHIM_DIR = path.join(STATE_DIR, 'bin');
const RESULTS_DIR = path.join(ROOT, 'test-results');
const YARN_RELEASE = path.join(ROOT, '.yarn', 'releases', 'yarn-4.13.0.cjs');
// The runtime installed from the npm registry when the machine's Node is not 22 or 24.
const PINNED_NODE = '22.23.3';
const SUPPORTED_MAJORS = [22, 24];
const CHROMIUM = process.env.PAVED_CHROMIUM || '/usr/bin/chromium';
const DEFAULT_PG_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

function log(message) {
  process.stdout.write(`[paved] ${message}\n`);
}

function banner(lines) {
  const width = Math.max(...lines.map(l => l.length)) + 4;
  const bar = '!'.repeat(width);
  process.stdout.write(`\n${bar}\n`);
  for (const line of lines)
    process.stdout.write(`! ${line.padEnd(width - 4)} !\n`);
  process.stdout.write(`${bar}\n\n`);
}

function fail(message) {
  process.stderr.write(`[paved] error: ${message}\n`);
  process.exit(1);
}

function majorOf(version) {
  return Number(String(version).replace(/^v/, '').split('.')[0]);
}

/**
 * Headers matching a Node binary, for node-gyp (which cannot download them
 * offline). Looks where Node installs them (<prefix>/include/node) and where
 * the npm registry's `node` package keeps them (node_modules/node-<platform>).
 */
function findHeaders(nodeBinary, major) {
  const prefix = path.resolve(path.dirname(nodeBinary), '..');
  const candidates = [prefix];
  const nested = path.join(prefix, 'node_modules');
  if (fs.existsSync(nested)) {
    for (const d of fs.readdirSync(nested))
      candidates.push(path.join(nested, d));
  }
  return candidates.find(dir => {
    const header = path.join(dir, 'include', 'node', 'node_version.h');
    return (
      fs.existsSync(header) &&
      new RegExp(`#define NODE_MAJOR_VERSION ${major}\\b`).test(
        fs.readFileSync(header, 'utf8'),
      )
    );
  });
}

/** Finds or installs a Node runtime Backstage accepts; returns its binary and headers. */
function ensureRuntime() {
  const machineMajor = majorOf(process.versions.node);
  if (SUPPORTED_MAJORS.includes(machineMajor)) {
    return {
      node: process.execPath,
      nodedir: findHeaders(process.execPath, machineMajor),
    };
  }
  const pkgDir = path.join(RUNTIME_DIR, 'node_modules', 'node');
  const node = path.join(pkgDir, 'bin', 'node');
  const installed = fs.existsSync(node)
    ? spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout?.trim()
    : undefined;
  if (installed !== `v${PINNED_NODE}`) {
    log(
      `Node ${process.versions.node} is too old for Backstage 1.55; installing Node ${PINNED_NODE} into .paved/runtime (once)`,
    );
    fs.mkdirSync(RUNTIME_DIR, { recursive: true });
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const res = spawnSync(
      npm,
      [
        'install',
        '--prefix',
        RUNTIME_DIR,
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        `node@${PINNED_NODE}`,
      ],
      { stdio: 'inherit' },
    );
    if (res.status !== 0 || !fs.existsSync(node)) {
      fail(
        `could not install node@${PINNED_NODE} from the npm registry (exit ${res.status}). Install Node 22 or 24 yourself and run the command again.`,
      );
    }
  }
  return { node, nodedir: findHeaders(node, majorOf(PINNED_NODE)) };
}

/** The environment every child process runs in: our node and yarn first on PATH. */
function childEnv(runtime, extra = {}) {
  fs.mkdirSync(SHIM_DIR, { recursive: true });
  const yarnShim = path.join(SHIM_DIR, 'yarn');
  const shim = `#!/bin/sh\nexec "${runtime.node}" "${YARN_RELEASE}" "$@"\n`;
  if (!fs.existsSync(yarnShim) || fs.readFileSync(yarnShim, 'utf8') !== shim) {
    fs.writeFileSync(yarnShim, shim, { mode: 0o755 });
  }
  const env = {
    ...process.env,
    PATH: [SHIM_DIR, path.dirname(runtime.node), process.env.PATH].join(
      path.delimiter,
    ),
    YARN_ENABLE_TELEMETRY: '0',
    ...extra,
  };
  // npm sets these for its own child; they would point yarn at npm's config,
  // and an npmrc's nodedir may hold another Node's headers (a native module
  // built against them fails to load), so only the runtime's own are passed.
  for (const key of Object.keys(env)) {
    if (key.startsWith('npm_')) delete env[key];
  }
  if (runtime.nodedir) env.npm_config_nodedir = runtime.nodedir;
  return env;
}

function installFingerprint(runtime) {
  const hash = crypto.createHash('sha256');
  const files = ['yarn.lock', 'package.json', '.yarnrc.yml'];
  for (const group of ['packages', 'plugins']) {
    const dir = path.join(ROOT, group);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      const file = path.join(group, name, 'package.json');
      if (fs.existsSync(path.join(ROOT, file))) files.push(file);
    }
  }
  for (const file of files) {
    hash.update(file);
    hash.update(fs.readFileSync(path.join(ROOT, file)));
  }
  hash.update(runtime.node);
  return hash.digest('hex');
}

/** Runs `yarn install` unless node_modules already matches the lockfile and manifests. */
function ensureDependencies(runtime, { immutable }) {
  const stamp = path.join(ROOT, 'node_modules', '.paved-install');
  const fingerprint = installFingerprint(runtime);
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === fingerprint) {
    return false;
  }
  log(
    `installing dependencies with yarn${
      immutable ? ' (immutable lockfile)' : ''
    }`,
  );
  const args = [YARN_RELEASE, 'install'];
  if (immutable) args.push('--immutable');
  const res = spawnSync(runtime.node, args, {
    cwd: ROOT,
    stdio: 'inherit',
    env: childEnv(runtime),
  });
  if (res.status !== 0) fail(`yarn install failed (exit ${res.status})`);
  fs.writeFileSync(stamp, fingerprint);
  return true;
}

function run(runtime, command, args, options = {}) {
  return new Promise(resolve => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      stdio: 'inherit',
      env: childEnv(runtime, options.env),
    });
    child.on('exit', (code, signal) => resolve(signal ? 1 : code ?? 1));
  });
}

function yarn(runtime, args, options) {
  return run(runtime, runtime.node, [YARN_RELEASE, ...args], options);
}

/** Debian's Chromium for the browser tests; never a browser download. */
function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0 || !fs.existsSync('/usr/bin/apt-get')) {
    fail(
      `no Chromium at ${CHROMIUM}. Install Debian's package (apt-get install chromium) or point PAVED_CHROMIUM at a Chromium binary.`,
    );
  }
  log('installing Debian chromium for the browser tests (once)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  const install = spawnSync(
    'apt-get',
    ['install', '-y', '--no-install-recommends', 'chromium'],
    {
      stdio: 'inherit',
      env,
    },
  );
  if (update.status !== 0 || install.status !== 0 || !fs.existsSync(CHROMIUM)) {
    fail('could not install chromium with apt-get');
  }
}

/**
 * Finds the PostgreSQL the database suites run against and returns the
 * environment that makes TestDatabases include it.
 */
async function probePostgres() {
  const url = process.env.PAVED_TEST_POSTGRES_URL || DEFAULT_PG_URL;
  const { Client } = require(require.resolve('pg', { paths: [ROOT] }));
  const client = new Client({
    connectionString: url,
    connectionTimeoutMillis: 3000,
  });
  try {
    await client.connect();
    const { rows } = await client.query('SHOW server_version_num');
    const major = Math.floor(Number(rows[0].server_version_num) / 10000);
    const base = url.replace(/\/[^/@]*$/, '');
    return {
      ok: true,
      major,
      env: {
        [`BACKSTAGE_TEST_DATABASE_POSTGRES${major}_CONNECTION_STRING`]: base,
        PAVED_TEST_POSTGRES_URL: url,
        PAVED_TEST_POSTGRES_ID: `POSTGRES_${major}`,
        PAVED_REQUIRE_POSTGRES: '1',
      },
    };
  } catch (error) {
    return { ok: false, url, reason: error.message };
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Finds the terraform or tofu the real-binary Terraform suites run; with one
 * found, those suites fail instead of leaving the real binary out.
 */
function probeTerraform() {
  for (const name of ['terraform', 'tofu']) {
    for (const dir of (process.env.PATH || '').split(path.delimiter)) {
      const binary = path.join(dir || '.', name);
      try {
        fs.accessSync(binary, fs.constants.X_OK);
        if (!fs.statSync(binary).isFile()) continue;
      } catch {
        continue;
      }
      const res = spawnSync(binary, ['version', '-json'], {
        encoding: 'utf8',
        timeout: 30000,
        env: { ...process.env, CHECKPOINT_DISABLE: '1' },
      });
      let version = 'unknown version';
      try {
        version = JSON.parse(res.stdout).terraform_version || version;
      } catch {
        // an older binary without -json: the name is enough
      }
      return {
        ok: true,
        binary,
        version,
        env: { PAVED_REQUIRE_TERRAFORM: '1' },
      };
    }
  }
  return { ok: false };
}

function readJestResults(file) {
  try {
    const r = JSON.parse(fs.readFileSync(file, 'utf8'));
    return {
      passed: r.numPassedTests,
      // A test file that fails to load has no failed test, but is a failure all the same.
      failed: r.numFailedTests + r.numRuntimeErrorTestSuites,
      skipped: r.numPendingTests + r.numTodoTests,
    };
  } catch {
    return undefined;
  }
}

async function commandTest() {
  const started = Date.now();
  const runtime = ensureRuntime();
  ensureDependencies(runtime, { immutable: true });
  ensureChromium();
  fs.rmSync(RESULTS_DIR, { recursive: true, force: true });
  fs.mkdirSync(RESULTS_DIR, { recursive: true });

  const results = [];
  const notRun = [];
  const record = (name, outcome) => {
    results.push({ name, ...outcome });
    log(`${name}: ${outcome.passed} passed, ${outcome.failed} failed`);
  };
  const step = async (name, args, options) => {
    log(`── ${name}`);
    const code = await yarn(runtime, args, options);
    record(
      name,
      code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 },
    );
    return code === 0;
  };
  const jest = async (name, args, options) => {
    log(`── ${name}`);
    const out = path.join(RESULTS_DIR, `${name}.json`);
    const code = await yarn(
      runtime,
      [...args, '--ci', '--json', `--outputFile=${out}`],
      options,
    );
    const counts = readJestResults(out);
    if (!counts) {
      record(name, { passed: 0, failed: 1 });
    } else {
      // Jest can exit non-zero with no failed test (a coverage or open-handle error): still a failure.
      if (code !== 0 && counts.failed === 0) counts.failed = 1;
      record(name, counts);
    }
  };

  const pg = await probePostgres();
  const tf = probeTerraform();
  const testEnv = {
    CI: 'true',
    BACKSTAGE_TEST_DISABLE_DOCKER: '1',
    ...(pg.ok ? pg.env : {}),
    ...(tf.ok ? tf.env : {}),
  };
  if (pg.ok) {
    log(
      `PostgreSQL ${pg.major} found: database suites run on SQLite and PostgreSQL`,
    );
  } else if (process.env.CI === 'true') {
    log(`PostgreSQL not reachable at ${pg.url}: ${pg.reason}`);
    record('postgresql available (CI=true)', { passed: 0, failed: 1 });
  } else {
    notRun.push(
      `PostgreSQL database suites and the production boot test (no server at ${pg.url}: ${pg.reason})`,
    );
    banner([
      'PostgreSQL is not reachable, so the database suites run on SQLite ONLY',
      'and the production-config boot test is NOT RUN.',
      `Tried ${pg.url}: ${pg.reason}`,
      'Start PostgreSQL or set PAVED_TEST_POSTGRES_URL; under CI=true this fails.',
    ]);
  }

  if (tf.ok) {
    log(
      `${path.basename(tf.binary)} ${tf.version} found (${
        tf.binary
      }): the Terraform suites run it besides the stand-in`,
    );
  } else if (process.env.CI === 'true') {
    log('Neither terraform nor tofu is on PATH');
    record('terraform or tofu available (CI=true)', { passed: 0, failed: 1 });
  } else {
    notRun.push(
      'the real terraform/tofu Terraform suites (neither terraform nor tofu is on PATH)',
    );
    banner([
      'Neither terraform nor tofu is on PATH, so the Terraform suites run',
      'the stand-in only and the real-binary tests are NOT RUN.',
      'Install terraform or tofu; under CI=true this fails.',
    ]);
  }

  await step('typecheck', ['tsc']);
  await step('lint', ['backstage-cli', 'repo', 'lint']);
  await step('prettier', ['prettier', '--check', '.']);
  await jest('unit-and-integration', ['backstage-cli', 'repo', 'test'], {
    env: testEnv,
  });
  const built = await step('production build', [
    'backstage-cli',
    'repo',
    'build',
    '--all',
  ]);
  if (built) {
    // Without PostgreSQL (outside CI) the production boot suite cannot run; it is listed as NOT RUN.
    const ignore = pg.ok
      ? []
      : ['--testPathIgnorePatterns', 'production\\.test'];
    await jest('e2e', ['workspace', 'e2e-tests', 'test:e2e', ...ignore], {
      env: { ...testEnv, PAVED_CHROMIUM: CHROMIUM },
    });
  } else {
    record('e2e (needs the production build)', { passed: 0, failed: 1 });
  }

  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const skipped = results.reduce((n, r) => n + (r.skipped ?? 0), 0);
  process.stdout.write('\nSuites\n');
  for (const r of results) {
    process.stdout.write(
      `  ${r.failed ? 'FAIL' : 'ok  '} ${r.name}: ${r.passed} passed, ${
        r.failed
      } failed\n`,
    );
  }
  for (const what of notRun) process.stdout.write(`  NOT RUN ${what}\n`);
  process.stdout.write(
    `  wall time ${Math.round((Date.now() - started) / 1000)} s\n\n`,
  );
  process.stdout.write(
    `${passed} passed, ${failed} failed${
      skipped ? `, ${skipped} skipped` : ''
    }\n`,
  );
  process.exit(failed ? 1 : 0);
}

async function commandStart() {
  const runtime = ensureRuntime();
  ensureDependencies(runtime, { immutable: false });
  fs.mkdirSync(path.join(ROOT, 'data'), { recursive: true });
  log(
    'starting the portal: app on http://localhost:3000, backend on http://localhost:7007',
  );
  const code = await yarn(
    runtime,
    ['backstage-cli', 'repo', 'start', ...process.argv.slice(3)],
    {
      env: { PAVED_DATA_DIR: path.join(ROOT, 'data') },
    },
  );
  process.exit(code);
}

async function commandSetup() {
  const runtime = ensureRuntime();
  ensureDependencies(runtime, { immutable: process.env.CI === 'true' });
  log(
    `ready: node ${runtime.node}; run other commands with \`npm run paved -- <yarn args>\``,
  );
}

/** `npm run paved -- tsc` runs any yarn command with the project's runtime. */
async function commandYarn() {
  const runtime = ensureRuntime();
  ensureDependencies(runtime, { immutable: false });
  process.exit(await yarn(runtime, process.argv.slice(3)));
}

const commands = {
  start: commandStart,
  test: commandTest,
  setup: commandSetup,
  yarn: commandYarn,
};
const command = commands[process.argv[2]];
if (!command) {
  fail(
    `usage: node scripts/paved.js <${Object.keys(commands).join('|')}> [args]`,
  );
}
command().catch(error => fail(error.stack || String(error)));
