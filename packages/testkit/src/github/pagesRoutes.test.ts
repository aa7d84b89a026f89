import crypto from 'node:crypto';
import type { Octokit as OctokitType } from '@octokit/rest';
import { GitHubTestServer } from './GitHubTestServer';
import { startGitHubTestServer } from './startGitHubTestServer';

// @octokit/rest is ESM; Jest's transform loads it through require.
const { Octokit } = require('@octokit/rest') as typeof import('@octokit/rest');

const site = { owner: 'kestrel', repo: 'site' };

function clientFor(server: GitHubTestServer, token: string) {
  return new Octokit({
    baseUrl: server.apiBaseUrl,
    auth: token,
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
}

function appJwt(appId: number, privateKey: string): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (v: unknown) =>
    Buffer.from(JSON.stringify(v)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode({
    iat: now - 60,
    exp: now + 540,
    iss: appId,
  })}`;
  const signature = crypto
    .sign('RSA-SHA256', Buffer.from(unsigned), privateKey)
    .toString('base64url');
  return `${unsigned}.${signature}`;
}

async function failureOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error: any) {
    if (error?.status) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
}

describe('the GitHub test server’s Pages endpoints', () => {
  let server: GitHubTestServer;
  let octokit: OctokitType;

  beforeEach(async () => {
    server = await startGitHubTestServer();
    octokit = clientFor(server, server.token);
    await server.driver.createRepository('kestrel', 'site', {
      private: false,
      files: { 'public/index.html': '<h1>hi</h1>' },
    });
  });

  afterEach(async () => {
    await server.close();
  });

  it('creates a workflow-built site once, reads it, and answers 409 the second time', async () => {
    const missing = await failureOf(octokit.rest.repos.getPages(site));
    expect(missing.status).toBe(404);

    const created = await octokit.rest.repos.createPagesSite({
      ...site,
      build_type: 'workflow',
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({
      url: `${server.apiBaseUrl}/repos/kestrel/site/pages`,
      status: null,
      cname: null,
      build_type: 'workflow',
      source: { branch: 'main', path: '/' },
      public: true,
    });
    const read = await octokit.rest.repos.getPages(site);
    expect(read.data).toEqual(created.data);
    expect(server.driver.repository('kestrel', 'site')!.pages).toEqual({
      buildType: 'workflow',
      source: { branch: 'main', path: '/' },
    });

    const again = await failureOf(
      octokit.rest.repos.createPagesSite({ ...site, build_type: 'workflow' }),
    );
    expect(again.status).toBe(409);
    expect(again.response.data).toEqual({
      message: 'GitHub Pages is already enabled.',
      documentation_url:
        'https://docs.github.com/rest/pages/pages#create-a-apiname-pages-site',
      status: '409',
    });
  });

  it('switches the build type with PUT and removes the site with DELETE', async () => {
    await octokit.rest.repos.createPagesSite({
      ...site,
      source: { branch: 'main', path: '/' },
    });
    expect(server.driver.repository('kestrel', 'site')!.pages).toMatchObject({
      buildType: 'legacy',
    });
    const updated = await octokit.rest.repos.updateInformationAboutPagesSite({
      ...site,
      build_type: 'workflow',
    });
    expect(updated.status).toBe(204);
    expect((await octokit.rest.repos.getPages(site)).data.build_type).toBe(
      'workflow',
    );
    expect((await octokit.rest.repos.deletePagesSite(site)).status).toBe(204);
    expect(server.driver.repository('kestrel', 'site')!.pages).toBeNull();
    expect(
      (await failureOf(octokit.rest.repos.deletePagesSite(site))).status,
    ).toBe(404);
  });

  it('refuses bad bodies, a missing branch and a private repository without Pages in its plan', async () => {
    const noBody = await failureOf(
      octokit.request('POST /repos/{owner}/{repo}/pages', {
        ...site,
        cname: 'docs.kestrel.example',
      }),
    );
    expect(noBody.status).toBe(422);
    const badType = await failureOf(
      octokit.rest.repos.createPagesSite({
        ...site,
        build_type: 'jekyll' as any,
      }),
    );
    expect(badType.status).toBe(422);
    expect(badType.response.data.message).toContain(
      `For 'build_type', "jekyll" is not one of "legacy", "workflow".`,
    );
    const noBranch = await failureOf(
      octokit.rest.repos.createPagesSite({
        ...site,
        source: { branch: 'gh-pages', path: '/' },
      }),
    );
    expect(noBranch.status).toBe(422);
    expect(server.driver.repository('kestrel', 'site')!.pages).toBeNull();

    await server.driver.createRepository('kestrel', 'internal-docs');
    server.driver.setPagesSupport('upgrade-required');
    const plan = await failureOf(
      octokit.rest.repos.createPagesSite({
        owner: 'kestrel',
        repo: 'internal-docs',
        build_type: 'workflow',
      }),
    );
    expect(plan.status).toBe(422);
    expect(plan.response.data.message).toBe(
      'Your current plan does not support GitHub Pages for this repository.',
    );
  });

  it('needs the pages permission of an app installation', async () => {
    const app = server.createApp({
      permissions: { administration: 'write', pages: 'read' },
    });
    const token = await clientFor(
      server,
      appJwt(app.appId, app.privateKey),
    ).rest.apps.createInstallationAccessToken({
      installation_id: app.installationId,
    });
    const installation = clientFor(server, token.data.token);
    const denied = await failureOf(
      installation.rest.repos.createPagesSite({
        ...site,
        build_type: 'workflow',
      }),
    );
    expect(denied.status).toBe(403);
    expect(denied.response.headers['x-accepted-github-permissions']).toBe(
      'pages=write',
    );
  });
});
