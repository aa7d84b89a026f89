import { spawn } from 'node:child_process';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';

/**
 * Serves the bare repositories below `root` over smart HTTP with the real
 * `git http-backend` (CGI), answering 401 to requests without the expected
 * Authorization header.
 */
export async function startGitHttpServer(
  root: string,
  authorization: string,
  /** Answers each request this much later, as a busy server does. */
  options: { delayMs?: number } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== authorization) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' }).end();
      return;
    }
    const url = new URL(req.url!, 'http://localhost');
    const cgi = spawn('git', ['http-backend'], {
      env: {
        ...process.env,
        HOME: os.tmpdir(),
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        REMOTE_USER: 'paved',
        REQUEST_METHOD: req.method!,
        PATH_INFO: url.pathname,
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
      },
    });
    req.pipe(cgi.stdin);
    const chunks: Buffer[] = [];
    cgi.stdout.on('data', chunk => chunks.push(chunk));
    cgi.on('close', () => {
      const output = Buffer.concat(chunks);
      const end = output.indexOf('\r\n\r\n');
      const headers: Record<string, string> = {};
      for (const line of output.toString('latin1', 0, end).split('\r\n')) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line
          .slice(colon + 1)
          .trim();
      }
      const status = parseInt(headers.status ?? '200', 10);
      delete headers.status;
      setTimeout(
        () => res.writeHead(status, headers).end(output.subarray(end + 4)),
        options.delayMs ?? 0,
      );
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
