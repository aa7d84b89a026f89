/**
 * Git over smart HTTP through `git http-backend`, run as a CGI program: the
 * test server hands it one request and relays its answer.
 */
import { spawn } from 'node:child_process';
import { IncomingMessage } from 'node:http';

/** What `git http-backend` answered. */
export interface CgiResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Reads a whole request body. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseCgiOutput(output: Buffer): CgiResponse {
  let end = output.indexOf('\r\n\r\n');
  let sepLength = 4;
  const lfEnd = output.indexOf('\n\n');
  if (end < 0 || (lfEnd >= 0 && lfEnd < end)) {
    end = lfEnd;
    sepLength = 2;
  }
  if (end < 0) {
    return { status: 502, headers: {}, body: output };
  }
  const headers: Record<string, string> = {};
  let status = 200;
  for (const line of output.subarray(0, end).toString('utf8').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'status') {
      status = parseInt(value, 10);
    } else {
      headers[key] = value;
    }
  }
  return { status, headers, body: output.subarray(end + sepLength) };
}

/**
 * Runs `git http-backend` for one request whose body was already read.
 *
 * @param options.pathInfo - `/<owner>/<repo>.git/<service path>`
 * @param options.env - extra environment, seen by the repository's hooks
 */
export function runGitHttpBackend(options: {
  req: IncomingMessage;
  body: Buffer;
  projectRoot: string;
  pathInfo: string;
  query: string;
  remoteUser: string;
  env?: Record<string, string>;
}): Promise<CgiResponse> {
  const { req, body } = options;
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['http-backend'], {
      env: {
        ...process.env,
        ...options.env,
        GIT_PROJECT_ROOT: options.projectRoot,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: options.pathInfo,
        QUERY_STRING: options.query,
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        CONTENT_LENGTH: String(body.length),
        REMOTE_USER: options.remoteUser,
        REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
        GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
        HTTP_CONTENT_ENCODING: String(req.headers['content-encoding'] ?? ''),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', d => out.push(d));
    child.stderr.on('data', d => err.push(d));
    child.on('error', reject);
    child.on('close', code => {
      const output = Buffer.concat(out);
      if (code !== 0 && output.length === 0) {
        reject(
          new Error(
            `git http-backend exited with ${code}: ${Buffer.concat(err)}`,
          ),
        );
        return;
      }
      resolve(parseCgiOutput(output));
    });
    child.stdin.on('error', () => {
      // http-backend may stop reading early on errors; its answer says why.
    });
    child.stdin.end(body);
  });
}
