import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { Octokit as OctokitType } from '@octokit/rest';
import { GitHubTestServer } from '../GitHubTestServer';
import { startGitHubTestServer } from '../startGitHubTestServer';

// @octokit/rest is ESM; Jest's transform loads it through require.
const { Octokit } = require('@octokit/rest') as typeof import('@octokit/rest');

describe('GitHub Actions on the test server', () => {
  let server: GitHubTestServer;
  let octokit: OctokitType;

  beforeAll(async () => {
    server = await startGitHubTestServer();
    octokit = new Octokit({
      baseUrl: server.apiBaseUrl,
      auth: server.token,
      log: { debug() {}, info() {}, warn() {}, error() {} },
    });
    await server.driver.createRepository('kestrel', 'shop');
  });

  afterAll(() => server.close());

  describe('the OIDC issuer', () => {
    it('serves the discovery document and the JWKS without authentication', async () => {
      const discovery = await fetch(
        `${server.url}/.well-known/openid-configuration`,
      ).then(r => r.json());
      expect(discovery).toMatchObject({
        issuer: server.url,
        jwks_uri: `${server.url}/.well-known/jwks`,
        id_token_signing_alg_values_supported: ['RS256'],
      });
      expect(discovery.claims_supported).toEqual(
        expect.arrayContaining(['sub', 'repository', 'job_workflow_ref']),
      );
      const jwks = await fetch(discovery.jwks_uri).then(r => r.json());
      expect(jwks.keys).toEqual([
        expect.objectContaining({ kty: 'RSA', alg: 'RS256', use: 'sig' }),
      ]);
      expect(jwks.keys[0].d).toBeUndefined();
      expect(server.driver.actions.jwksUrl).toBe(discovery.jwks_uri);
    });

    it('issues tokens with the claims GitHub Actions puts in them, verifiable with the published keys', async () => {
      const token = await server.driver.actions.issueToken({
        repository: 'kestrel/shop',
        sha: 'a'.repeat(40),
        runId: 4711,
        audience: 'paved',
      });
      const jwks = createRemoteJWKSet(new URL(server.driver.actions.jwksUrl));
      const { payload, protectedHeader } = await jwtVerify(token, jwks, {
        issuer: server.driver.actions.issuer,
        audience: 'paved',
        algorithms: ['RS256'],
      });
      const repo = server.driver.repository('kestrel', 'shop')!;
      expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT' });
      expect(protectedHeader.kid).toBe(decodeProtectedHeader(token).kid);
      expect(payload).toMatchObject({
        sub: 'repo:kestrel/shop:ref:refs/heads/main',
        aud: 'paved',
        iss: server.url,
        repository: 'kestrel/shop',
        repository_owner: 'kestrel',
        repository_id: String(repo.id),
        ref: 'refs/heads/main',
        sha: 'a'.repeat(40),
        run_id: '4711',
        workflow: 'CI',
        job_workflow_ref:
          'kestrel/shop/.github/workflows/ci.yaml@refs/heads/main',
      });
      expect(payload.jti).toEqual(expect.any(String));
      expect(payload.exp! - payload.iat!).toBe(300);
      expect(payload.nbf!).toBeLessThan(payload.iat!);
    });

    it('names the environment in the subject of a job that runs in one', async () => {
      const token = await server.driver.actions.issueToken({
        repository: 'kestrel/shop',
        environment: 'dev',
        audience: 'paved',
      });
      const jwks = createRemoteJWKSet(new URL(server.driver.actions.jwksUrl));
      const { payload } = await jwtVerify(token, jwks, { audience: 'paved' });
      expect(payload.sub).toBe('repo:kestrel/shop:environment:dev');
    });

    it('issues tokens a verifier refuses for another audience or issuer', async () => {
      const jwks = createRemoteJWKSet(new URL(server.driver.actions.jwksUrl));
      const other = await server.driver.actions.issueToken({
        repository: 'kestrel/shop',
        audience: 'sts.amazonaws.com',
      });
      await expect(
        jwtVerify(other, jwks, { audience: 'paved' }),
      ).rejects.toThrow(/aud/);
      const forged = await server.driver.actions.issueToken({
        repository: 'kestrel/shop',
        audience: 'paved',
        issuer: 'https://token.actions.example.com',
      });
      await expect(
        jwtVerify(forged, jwks, { issuer: server.url }),
      ).rejects.toThrow(/iss/);
    });
  });

  describe('a job asking for its token', () => {
    it('answers ACTIONS_ID_TOKEN_REQUEST_URL with the audience asked for, and 401 without the request token', async () => {
      const env = server.driver.actions.startJob({
        repository: 'kestrel/shop',
        sha: 'd'.repeat(40),
      });
      expect(env).toMatchObject({
        GITHUB_REPOSITORY: 'kestrel/shop',
        GITHUB_SHA: 'd'.repeat(40),
        GITHUB_REF: 'refs/heads/main',
      });
      const url = `${env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=paved`;
      const res = await fetch(url, {
        headers: {
          Authorization: `Bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}`,
        },
      });
      expect(res.status).toBe(200);
      const { value } = await res.json();
      const jwks = createRemoteJWKSet(new URL(server.driver.actions.jwksUrl));
      const { payload } = await jwtVerify(value, jwks, {
        issuer: server.url,
        audience: 'paved',
      });
      expect(payload).toMatchObject({
        sub: 'repo:kestrel/shop:ref:refs/heads/main',
        sha: 'd'.repeat(40),
        run_id: env.GITHUB_RUN_ID,
      });
      const plain = await fetch(env.ACTIONS_ID_TOKEN_REQUEST_URL, {
        headers: {
          Authorization: `Bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}`,
        },
      }).then(r => r.json());
      expect(
        (
          await jwtVerify(plain.value, jwks, {
            audience: 'https://github.com/kestrel',
          })
        ).payload.aud,
      ).toBe('https://github.com/kestrel');
      expect((await fetch(url)).status).toBe(401);
      expect(
        (await fetch(url, { headers: { Authorization: 'Bearer forged' } }))
          .status,
      ).toBe(401);
    });
  });

  describe('workflow runs', () => {
    it('lists the recorded runs of a repository newest first, as GitHub shapes them', async () => {
      const first = server.driver.actions.recordRun('kestrel/shop', {
        headSha: 'b'.repeat(40),
        createdAt: new Date('2026-01-01T10:00:00Z'),
      });
      server.driver.actions.recordRun('kestrel/shop', {
        status: 'completed',
        conclusion: 'failure',
        createdAt: new Date('2026-01-01T11:00:00Z'),
      });
      const { data } = await octokit.actions.listWorkflowRunsForRepo({
        owner: 'kestrel',
        repo: 'shop',
      });
      expect(data.total_count).toBe(2);
      expect(data.workflow_runs.map(r => r.conclusion)).toEqual([
        'failure',
        'success',
      ]);
      expect(data.workflow_runs[1]).toMatchObject({
        id: first.id,
        name: 'CI',
        head_sha: 'b'.repeat(40),
        head_branch: 'main',
        event: 'push',
        status: 'completed',
        path: '.github/workflows/ci.yaml',
        html_url: `${server.url}/kestrel/shop/actions/runs/${first.id}`,
        created_at: '2026-01-01T10:00:00Z',
        repository: expect.objectContaining({ full_name: 'kestrel/shop' }),
      });
    });

    it('filters by status, conclusion and head_sha, and pages', async () => {
      const failed = await octokit.actions.listWorkflowRunsForRepo({
        owner: 'kestrel',
        repo: 'shop',
        status: 'failure',
      });
      expect(failed.data.workflow_runs).toHaveLength(1);
      const bySha = await octokit.actions.listWorkflowRunsForRepo({
        owner: 'kestrel',
        repo: 'shop',
        head_sha: 'b'.repeat(40),
      });
      expect(bySha.data.workflow_runs).toHaveLength(1);
      const page = await octokit.actions.listWorkflowRunsForRepo({
        owner: 'kestrel',
        repo: 'shop',
        per_page: 1,
      });
      expect(page.data.workflow_runs).toHaveLength(1);
      expect(page.headers.link).toContain('rel="next"');
    });

    it('answers 404 for a repository that does not exist', async () => {
      await expect(
        octokit.actions.listWorkflowRunsForRepo({
          owner: 'kestrel',
          repo: 'nope',
        }),
      ).rejects.toMatchObject({ status: 404 });
    });
  });
});
