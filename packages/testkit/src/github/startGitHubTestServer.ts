/**
 * A GitHub server for tests: the REST API (at the root and, as GitHub
 * Enterprise Server serves it, under `/api/v3`) and git over smart HTTP
 * through `git http-backend`, on 127.0.0.1 and an ephemeral port. It
 * authenticates classic tokens, GitHub App JWTs and installation tokens,
 * keeps primary and secondary rate limits, and lets the test inject faults.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { GitHubTestDriver } from './GitHubTestDriver';
import { GitHubTestOrg } from './driverTypes';
import {
  GitHubTestRequest,
  GitHubTestServer,
  GitHubTestServerOptions,
} from './GitHubTestServer';
import { docs, errorBody } from './responses';
import { integrationEntry, registerApp } from './server/appCredentials';
import { ServerContext } from './server/context';
import { handleGit } from './server/handleGit';
import { ID_TOKEN_PATH, OIDC_PATHS, handleOidc } from './server/handleOidc';
import { handleRest } from './server/handleRest';

const DEFAULT_ORG: GitHubTestOrg = {
  login: 'kestrel',
  teams: [
    { slug: 'platform', name: 'Platform' },
    { slug: 'storefront', name: 'Storefront' },
    { slug: 'fulfilment', name: 'Fulfilment' },
    { slug: 'last-mile', name: 'Last mile' },
  ],
};

const GIT_PATH =
  /^\/([^/]+)\/([^/]+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack)$/;

/** The record of a request, before it is answered. */
function recordOf(
  method: string,
  url: URL,
  gitMatch: unknown,
): GitHubTestRequest {
  const restPath = url.pathname.replace(/^\/api\/v3(?=\/|$)/, '') || '/';
  return {
    kind: gitMatch ? 'git' : 'rest',
    method,
    path: gitMatch ? url.pathname : restPath,
    route: '',
    contentCreating:
      !gitMatch &&
      ['POST', 'PATCH', 'PUT', 'DELETE'].includes(method) &&
      !/^\/app\/installations\/[^/]+\/access_tokens$/.test(restPath),
    status: 0,
  };
}

/** The HTTP server: each request recorded, then answered as git or REST. */
function createServer(context: ServerContext, requests: GitHubTestRequest[]) {
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (OIDC_PATHS.has(url.pathname) || ID_TOKEN_PATH.test(url.pathname)) {
      handleOidc(context.driver.actions, req, res, url).catch(() =>
        res.destroy(),
      );
      return;
    }
    const gitMatch = GIT_PATH.exec(url.pathname);
    const record = recordOf(req.method ?? 'GET', url, gitMatch);
    requests.push(record);
    const handle = gitMatch
      ? handleGit(context, req, res, url, gitMatch, record)
      : handleRest(context, req, res, url, record);
    handle.catch(error => {
      record.status = 500;
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
      }
      res.end(JSON.stringify(errorBody(500, String(error), docs.root)));
    });
  });
}

/** Listens on 127.0.0.1 and an ephemeral port; keeps the open sockets. */
async function listen(server: http.Server) {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const sockets = new Set<Socket>();
  server.on('connection', socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return { port: (server.address() as AddressInfo).port, sockets };
}

/**
 * Starts a GitHub test server on 127.0.0.1 and an ephemeral port.
 *
 * @public
 */
export async function startGitHubTestServer(
  options: GitHubTestServerOptions = {},
): Promise<GitHubTestServer> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'github-test-'));
  const reposDir = path.join(root, 'repos');
  const driver = new GitHubTestDriver(reposDir);
  for (const org of options.orgs ?? [DEFAULT_ORG]) driver.addOrg(org);
  const token =
    options.token ?? `ghp_${crypto.randomBytes(18).toString('base64url')}`;
  const login = options.login ?? 'paved-bot';
  driver.addToken({ token, login, scopes: options.scopes });
  for (const app of options.apps ?? []) driver.addApp(app);

  const requests: GitHubTestRequest[] = [];
  const context: ServerContext = {
    driver,
    reposDir,
    urls: { api: '', web: '' },
  };
  const server = createServer(context, requests);
  const { port, sockets } = await listen(server);
  const base = `http://127.0.0.1:${port}`;
  context.urls = { api: `${base}/api/v3`, web: base };
  driver.actions.oidc.setIssuer(base);

  let nextAppId = 100;
  const testServer: GitHubTestServer = {
    url: base,
    apiBaseUrl: context.urls.api,
    host: `127.0.0.1:${port}`,
    token,
    login,
    driver,
    requests,
    resetRequests() {
      requests.length = 0;
    },
    createApp(appOptions = {}) {
      nextAppId += 1;
      return registerApp(driver, nextAppId, appOptions);
    },
    integrationConfig(integration = {}) {
      return integrationEntry(testServer, integration);
    },
    appConfig(config = {}) {
      return {
        integrations: {
          github: [
            testServer.integrationConfig({
              token: config.token,
              apps: config.apps,
              host: config.host,
            }),
          ],
        },
        ...(config.paved ? { paved: config.paved } : {}),
      };
    },
    async close() {
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      await fs.rm(root, { recursive: true, force: true });
    },
  };
  return testServer;
}
