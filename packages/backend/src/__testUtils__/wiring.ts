/*
 * Helpers of the wiring tests, which boot the backend's plugins on the
 * embedded default and drive them over HTTP.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ConfigSources } from '@backstage/config-loader';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '../../../..');

/**
 * app-config.yaml as the backend reads it, less `backend`: a test backend
 * has its own port, and must not call the portal's 7007.
 */
export async function embeddedDefault(): Promise<Record<string, any>> {
  const source = ConfigSources.default({
    argv: ['--config', path.join(ROOT, 'app-config.yaml')],
    substitutionFunc: async () => undefined,
  });
  const { backend: _backend, ...data } = (
    await ConfigSources.toConfig(source)
  ).get() as any;
  return data;
}

/** A template folder as the scaffolder's dry run takes it (`directoryContents`). */
export function templateFiles(
  dir: string,
  base = dir,
): { path: string; base64Content: string }[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory()
      ? templateFiles(full, base)
      : [
          {
            path: path.relative(base, full).split(path.sep).join('/'),
            base64Content: fs.readFileSync(full).toString('base64'),
          },
        ];
  });
}

/** A task log message without its level: task log lines read "<level>: <message>", the level coloured. */
export function logMessage(message: unknown): string {
  return String(message)
    .replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '')
    .replace(/^\w+: /, '');
}

/** A port nothing listens on (until someone takes it). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return port;
}

/** Calls a backend with the given Authorization header: GET, or POST with a JSON body. */
export async function call(
  baseUrl: string,
  authorization: string,
  route: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      Authorization: authorization,
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/**
 * Retries until `attempt` gives a value (an attempt that throws counts as
 * none); `stop`, called before each attempt, ends the wait at once with its
 * error.
 */
export async function eventually<T>(
  what: string,
  attempt: () => Promise<T | undefined>,
  stop: () => void = () => {},
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    stop();
    const result = await attempt().catch(() => undefined);
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}
