import type * as IsomorphicGit from 'isomorphic-git';
import type { HttpClient } from 'isomorphic-git';

/**
 * The `isomorphic-git` module.
 *
 * @public
 */
export type IsomorphicGitModule = typeof IsomorphicGit;

let git: IsomorphicGitModule | undefined;
let http: HttpClient | undefined;

/**
 * Loads isomorphic-git on first use, so a backend that never touches a
 * repository does not hold it in memory. `require`, not `import()`: Jest has
 * no ES module loader, and isomorphic-git ships a CommonJS build.
 *
 * @public
 */
export function loadIsomorphicGit(): IsomorphicGitModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  git ??= require('isomorphic-git') as IsomorphicGitModule;
  return git;
}

/**
 * How long a git request may wait for the server without a byte. A socket
 * Node's keep-alive agents reuse keeps the idle timeout the server's
 * `Keep-Alive: timeout=5` hint gave it in the pool (4 s), even while it
 * waits for the answer to a push, which a busy server (receive-pack answers
 * once the pack is stored) takes longer than that to give.
 */
const GIT_SOCKET_TIMEOUT_MS = 120_000;

/**
 * isomorphic-git's HTTP client for Node, loaded on first use like
 * {@link loadIsomorphicGit}, on agents of its own: a connection per request
 * (a push is two), which may be idle for {@link GIT_SOCKET_TIMEOUT_MS}.
 *
 * @public
 */
export function loadIsomorphicGitHttp(): HttpClient {
  if (!http) {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const client = require('isomorphic-git/http/node') as HttpClient;
    const nodeHttp = require('node:http') as typeof import('node:http');
    const nodeHttps = require('node:https') as typeof import('node:https');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const options = { keepAlive: false, timeout: GIT_SOCKET_TIMEOUT_MS };
    const agents = {
      'http:': new nodeHttp.Agent(options),
      'https:': new nodeHttps.Agent(options),
    };
    http = {
      request: request =>
        client.request({
          ...request,
          agent:
            (request as { agent?: unknown }).agent ??
            agents[new URL(request.url).protocol as 'http:' | 'https:'],
        } as typeof request),
    };
  }
  return http;
}
