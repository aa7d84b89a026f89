/*
 * The real backend (src/index.ts in a child process) for the whole golden
 * path: the GitHub test server as the GitHub integration and as GitHub
 * Actions' OIDC issuer (backend.auth.externalAccess, type jwks, as
 * app-config.production.yaml has it for token.actions.githubusercontent.com),
 * the Kubernetes test server as the cluster, the sample organisation and
 * the node-service template; people sign in through the picker.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  GitHubTestServer,
  KubernetesTestServer,
  TEST_GROUPS,
  TEST_USERS,
  startGitHubTestServer,
  startKubernetesTestServer,
} from '@paved/testkit';
import {
  ChildBackend,
  killChildBackend,
  startChildBackend,
} from './childBackend';
import { ROOT, eventually, freePort } from './wiring';
import { callApi, pickerAuthorization } from './pickerApi';

/** A started backend and the servers it talks to. */
export interface GoldenPathBackend {
  baseUrl: string;
  github: GitHubTestServer;
  cluster: KubernetesTestServer;
  backend: ChildBackend;
  /** The Authorization header of a person of the sample organisation. */
  authorization(user: string): Promise<string>;
  /** Calls /api with an Authorization header: GET, or POST with a JSON body. */
  call(
    authorization: string,
    route: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

/** The app-config the backend runs with, over app-config.yaml. */
function overridesFor(
  baseUrl: string,
  port: number,
  github: GitHubTestServer,
  cluster: KubernetesTestServer,
) {
  const clusterConfig = cluster.appConfig({ clusterName: 'dev' });
  return {
    app: { baseUrl },
    backend: {
      baseUrl,
      listen: { port, host: '127.0.0.1' },
      auth: {
        externalAccess: [
          {
            type: 'jwks',
            options: {
              url: github.driver.actions.jwksUrl,
              issuer: github.driver.actions.issuer,
              audience: 'paved',
              algorithm: 'RS256',
              subjectPrefix: 'github-actions',
            },
            accessRestrictions: [{ plugin: 'deploy' }],
          },
        ],
      },
    },
    integrations: { github: [github.integrationConfig()] },
    kubernetes: clusterConfig.kubernetes,
    catalog: {
      locations: [
        {
          type: 'file',
          target: path.join(ROOT, 'catalog/org.yaml'),
          rules: [{ allow: ['Group', 'User'] }],
        },
        {
          type: 'file',
          target: path.join(ROOT, 'templates/node-service/template.yaml'),
          rules: [{ allow: ['Template'] }],
        },
      ],
    },
    scaffolder: { defaultEnvironment: { parameters: { pavedUrl: baseUrl } } },
    paved: {
      ...clusterConfig.paved,
      github: { writeInterval: { milliseconds: 0 } },
      permissions: { adminGroups: [TEST_GROUPS.admin] },
    },
  };
}

/** Starts the backend; resolves once the organisation and the template are in the catalogue. */
export async function startGoldenPathBackend(): Promise<GoldenPathBackend> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-golden-'));
  const github = await startGitHubTestServer({
    scopes: ['repo', 'admin:org', 'workflow'],
  });
  const cluster = await startKubernetesTestServer({ rollouts: 'immediate' });
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const backend = await startChildBackend({
    port,
    dataDir: path.join(dir, 'data'),
    configDir: dir,
    overrides: overridesFor(baseUrl, port, github, cluster),
  });
  const authorization = pickerAuthorization(baseUrl);
  const call: GoldenPathBackend['call'] = (auth, route, body) =>
    callApi(baseUrl, auth, route, body);
  await eventually(
    'the organisation and the template in the catalogue',
    async () => {
      const res = await call(
        await authorization(TEST_USERS.teamA),
        '/catalog/entities/by-name/template/default/node-service',
      );
      return res.status === 200 || undefined;
    },
    undefined,
    120_000,
  ).catch(error => {
    throw new Error(`${error.message}:\n${backend.output()}`);
  });
  return {
    baseUrl,
    github,
    cluster,
    backend,
    authorization,
    call,
    async stop() {
      await killChildBackend(backend);
      await github.close();
      await cluster.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
