import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ConfigSources } from '@backstage/config-loader';

/** The repository root (this package only runs from a checkout). */
// eslint-disable-next-line no-restricted-syntax
export const ROOT = path.resolve(__dirname, '../../../..');

// Shared with bench/run.js, which must stay plain CommonJS.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { linkBundleNodeModules } = require(path.join(
  ROOT,
  'scripts/bundle-node-modules.js',
)) as { linkBundleNodeModules(dir: string, root: string): void };
const BUNDLE = path.join(ROOT, 'packages/backend/dist/bundle.tar.gz');

/** Files the Docker image copies next to the bundle (see docker/Dockerfile). */
const IMAGE_FILES = [
  'app-config.yaml',
  'app-config.production.yaml',
  'catalog-info.yaml',
  'catalog',
  'templates',
];

/**
 * Lays out the production backend bundle as the Docker image does, in a
 * fresh temporary directory, with the repository's node_modules.
 */
export function unpackProductionBundle(): string {
  if (!fs.existsSync(BUNDLE)) {
    throw new Error(
      `${BUNDLE} is missing: run the production build first (yarn build:all)`,
    );
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-bundle-'));
  execFileSync('tar', ['xzf', BUNDLE, '-C', dir]);
  for (const file of IMAGE_FILES) {
    fs.cpSync(path.join(ROOT, file), path.join(dir, file), { recursive: true });
  }
  linkBundleNodeModules(dir, ROOT);
  return dir;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Portal {
  baseUrl: string;
  process: ChildProcess;
  logs(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Config files relative to the bundle directory, in order. */
  configs: string[];
  /** Extra config written to a file and loaded last. */
  config?: object;
  env?: Record<string, string | undefined>;
  nodeEnv?: 'production' | 'development';
  timeoutMs?: number;
}

/** Config files for one run: the test's listener, then the caller's extra config. */
function writeOverrides(dir: string, port: number, extra?: object): string[] {
  const baseUrl = `http://localhost:${port}`;
  const listener = path.join(dir, `app-config.test-${port}.json`);
  fs.writeFileSync(
    listener,
    JSON.stringify({
      app: { baseUrl },
      backend: {
        baseUrl,
        listen: { port, host: '127.0.0.1' },
        cors: { origin: baseUrl },
      },
    }),
  );
  if (!extra) return [listener];
  // Backstage merges config files in order, so the extra config is a file too.
  const extraFile = path.join(dir, `app-config.test-${port}.extra.json`);
  fs.writeFileSync(extraFile, JSON.stringify(extra));
  return [listener, extraFile];
}

/**
 * The catalogue locations app-config.yaml gives the portal, resolved for a
 * repository (or unpacked bundle) at `repoDir`.
 */
export async function portalCatalogLocations(repoDir: string) {
  const config = await ConfigSources.toConfig(
    ConfigSources.default({
      argv: ['--config', path.join(repoDir, 'app-config.yaml')],
      substitutionFunc: async name =>
        name === 'PAVED_REPO_DIR' ? repoDir : undefined,
    }),
  );
  const locations = config
    .getConfigArray('catalog.locations')
    .map(l => l.get());
  config.close();
  return locations;
}

/** Runs the backend from an unpacked bundle; resolves once it exits. */
export function runBackend(
  dir: string,
  options: StartOptions,
  port: number,
): { child: ChildProcess; output: () => string } {
  const args = ['packages/backend'];
  for (const c of [
    ...options.configs,
    ...writeOverrides(dir, port, options.config),
  ]) {
    args.push('--config', c);
  }
  let output = '';
  const child = spawn(process.execPath, args, {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: options.nodeEnv ?? 'production',
      // app-config.yaml's file locations, resolved from the bundle's root.
      PAVED_REPO_DIR: dir,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', d => (output += d));
  child.stderr!.on('data', d => (output += d));
  return { child, output: () => output };
}

/** Starts the backend and waits for its readiness endpoint. */
export async function startPortal(
  dir: string,
  options: StartOptions,
): Promise<Portal> {
  const port = await freePort();
  const { child, output } = runBackend(dir, options, port);
  const baseUrl = `http://localhost:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let exited: number | null = null;
  child.on('exit', code => (exited = code ?? -1));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>(resolve => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  };
  while (Date.now() < deadline) {
    if (exited !== null) {
      throw new Error(
        `backend exited with ${exited} before ready:\n${output()}`,
      );
    }
    try {
      const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
      if (res.ok) return { baseUrl, process: child, logs: output, stop };
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`backend not ready within the timeout:\n${output()}`);
}

/** Waits for a backend that is expected to fail, returning its exit code and output. */
export async function expectStartFailure(
  dir: string,
  options: StartOptions,
): Promise<{ code: number | null; output: string }> {
  const port = await freePort();
  const { child, output } = runBackend(dir, options, port);
  const code = await new Promise<number | null>(resolve => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(null);
    }, options.timeoutMs ?? 60_000);
    child.on('exit', c => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  return { code, output: output() };
}

/** A guest token from a portal running the embedded default config. */
export async function guestToken(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!res.ok) throw new Error(`guest refresh failed: ${res.status}`);
  const body = await res.json();
  return body.backstageIdentity.token;
}

/** A sample user's token from the picker provider, as the sign-in page gets it. */
export async function pickerToken(
  baseUrl: string,
  userEntityRef: string,
): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/picker/refresh`, {
    headers: {
      'X-Requested-With': 'XMLHttpRequest',
      'x-paved-picker-user': userEntityRef,
    },
  });
  if (!res.ok) {
    throw new Error(
      `picker refresh for ${userEntityRef} failed: ${res.status}`,
    );
  }
  return (await res.json()).backstageIdentity.token;
}
