/*
 * The Node.js service skeleton as "Create Component" renders it: how many
 * production dependencies it ships, how long `node dist/index.js` takes to
 * its first 200 on /readyz, and its memory once started, with tracing off
 * (the default) and on (an OTLP endpoint set: the SDK is loaded then).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/skeleton.ts \
 *     [--runs=7]
 *
 * Needs the npm registry (the skeleton's own `npm ci`). Prints a table and
 * writes bench/results/skeleton.json. See bench/README.md.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  startTemplateRenderer,
  writeFiles,
} from '../packages/template-tests/src/__testUtils__/renderTemplate';

const arg = (name: string, fallback: string) =>
  process.argv.find(a => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const RUNS = Number(arg('runs', '7'));
const SETTLE_MS = 2000;
const MB = 1024 * 1024;

/** This Node first on PATH, without the npm_* settings of whatever started the bench. */
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PATH: [path.dirname(process.execPath), process.env.PATH].join(path.delimiter),
};
for (const key of Object.keys(env)) {
  if (key.toLowerCase().startsWith('npm_')) delete env[key];
}

function npm(args: string[], cwd: string): { ms: number; stdout: string } {
  const started = performance.now();
  const r = spawnSync('npm', args, { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`npm ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  }
  return { ms: performance.now() - started, stdout: r.stdout };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return port;
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)![1]) / 1024;
}

function readyz(port: number): Promise<number> {
  return new Promise(resolve => {
    const req = http.get(`http://127.0.0.1:${port}/readyz`, res => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
  });
}

interface Start {
  readyMs: number;
  rssAtReadyMb: number;
  rssSettledMb: number;
}

/** Starts the built service; the time from spawn to the first 200 on /readyz, and its RSS then and SETTLE_MS later. */
async function start(
  dir: string,
  extra: Record<string, string>,
): Promise<Start> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['dist/index.js'], {
    cwd: dir,
    env: { ...env, PORT: String(port), SHUTDOWN_DELAY_MS: '0', ...extra },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if ((await readyz(port)) === 200) break;
      if (child.exitCode !== null) throw new Error('the service exited');
      if (performance.now() - started > 30_000)
        throw new Error('not ready in 30 s');
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    const readyMs = performance.now() - started;
    const rssAtReadyMb = rssMb(child.pid!);
    await new Promise(resolve => setTimeout(resolve, SETTLE_MS));
    return { readyMs, rssAtReadyMb, rssSettledMb: rssMb(child.pid!) };
  } finally {
    const exited = new Promise(resolve => child.on('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

function duMb(dir: string): number {
  const r = spawnSync('du', ['-sb', dir], { encoding: 'utf8' });
  return Number(r.stdout.split('\t')[0]) / MB;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-skeleton-'));
  const prod = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-skeleton-prod-'));
  // A collector that accepts OTLP and throws it away, for the tracing-on runs.
  const collector = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('{}'));
  });
  await new Promise<void>(resolve => collector.listen(0, '127.0.0.1', resolve));
  const otlp = `http://127.0.0.1:${
    (collector.address() as net.AddressInfo).port
  }`;
  try {
    const renderer = await startTemplateRenderer();
    const files = await renderer.render('node-service', {
      name: 'invoice-service',
      description: 'Invoices',
      owner: 'group:default/fulfilment',
      repoUrl: 'github.com?owner=kestrel&repo=invoice-service',
      deploy: false,
    });
    await renderer.stop();
    writeFiles(files, dir);

    const install = npm(['ci', '--no-audit', '--no-fund'], dir);
    const build = npm(['run', 'build'], dir);
    const count = (omitDev: boolean) =>
      npm(
        ['ls', '--all', '--parseable', ...(omitDev ? ['--omit=dev'] : [])],
        dir,
      )
        .stdout.trim()
        .split('\n')
        .slice(1).length; // the first line is the project itself
    const production = count(true);
    const all = count(false);
    const direct = Object.keys(
      JSON.parse(files.get('package.json')!.toString()).dependencies,
    );
    for (const f of ['package.json', 'package-lock.json']) {
      fs.copyFileSync(path.join(dir, f), path.join(prod, f));
    }
    npm(
      ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'],
      prod,
    );
    const prodModulesMb = duMb(path.join(prod, 'node_modules'));
    const distKb = duMb(path.join(dir, 'dist')) * 1024;

    const off: Start[] = [];
    const on: Start[] = [];
    // Alternating, so that a busy moment of the machine hits both alike.
    for (let i = 0; i < RUNS; i++) {
      off.push(await start(dir, {}));
      on.push(await start(dir, { OTEL_EXPORTER_OTLP_ENDPOINT: otlp }));
    }
    const summary = (runs: Start[]) => ({
      readyMs: Math.round(median(runs.map(r => r.readyMs))),
      readyMsMin: Math.round(Math.min(...runs.map(r => r.readyMs))),
      readyMsMax: Math.round(Math.max(...runs.map(r => r.readyMs))),
      rssAtReadyMb: Number(median(runs.map(r => r.rssAtReadyMb)).toFixed(1)),
      rssSettledMb: Number(median(runs.map(r => r.rssSettledMb)).toFixed(1)),
    });
    const result = {
      date: new Date().toISOString(),
      node: process.version,
      loadAverage: os.loadavg().map(l => Number(l.toFixed(2))),
      runs: RUNS,
      dependencies: { direct: direct.length, production, all },
      prodNodeModulesMb: Number(prodModulesMb.toFixed(1)),
      distKb: Number(distKb.toFixed(0)),
      npmCiSeconds: Number((install.ms / 1000).toFixed(1)),
      buildSeconds: Number((build.ms / 1000).toFixed(1)),
      tracingOff: summary(off),
      tracingOn: summary(on),
    };
    const lines = [
      `node-service skeleton (${result.node}, load ${result.loadAverage.join(
        ' ',
      )}, ${RUNS} starts each)`,
      `  production dependencies   ${production} packages (${direct.length} direct), ${result.prodNodeModulesMb} MB node_modules`,
      `  all dependencies (dev)    ${all} packages`,
      `  dist/                     ${result.distKb} KB`,
      `  npm ci / build            ${result.npmCiSeconds} s / ${result.buildSeconds} s`,
      `                            start to /readyz 200 (median, min-max)   RSS at ready   RSS after ${
        SETTLE_MS / 1000
      } s`,
      ...(['tracingOff', 'tracingOn'] as const).map(k => {
        const s = result[k];
        return (
          `  ${
            k === 'tracingOff'
              ? 'tracing off (default)'
              : 'tracing on (SDK loaded)'
          }`.padEnd(28) +
          `${s.readyMs} ms (${s.readyMsMin}-${s.readyMsMax})`.padEnd(41) +
          `${s.rssAtReadyMb} MB`.padEnd(15) +
          `${s.rssSettledMb} MB`
        );
      }),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    const out = path.join(__dirname, 'results', 'skeleton.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    collector.close();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(prod, { recursive: true, force: true });
  }
}

main().then(
  // The stopped test backend leaves two timers of the scaffolder behind.
  () => process.exit(0),
  error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
