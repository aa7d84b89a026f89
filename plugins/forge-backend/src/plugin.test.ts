import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  Permission,
  createPermission,
} from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DefaultLocalForge,
  ForgeUrls,
  LocalForge,
  localForgeServiceRef,
} from '@paved/plugin-forge-node';
import {
  BackstageCredentials,
  PermissionsService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import request from 'supertest';
import { forgePlugin } from './plugin';
import { pktLine } from '@paved/plugin-git-node';
import { ownershipServiceRef } from '@paved/plugin-ownership-node';
import { TEST_GROUPS, TEST_USERS, testOwnership } from '@paved/testkit';

const hasGit = spawnSync('git', ['--version']).status === 0;
/** The real git client, where it is installed (the forge does not need it). */
const describeWithGit = hasGit ? describe : describe.skip;

const gitEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: os.tmpdir(),
  GIT_TERMINAL_PROMPT: '0',
};

/** Runs git without blocking the event loop (the forge answers in this process). */
async function gitCli(args: string[], cwd?: string): Promise<string> {
  const { stdout } = await promisify(execFile)('git', args, {
    cwd,
    encoding: 'utf8',
    env: gitEnv,
  });
  return stdout;
}

/** Runs git expecting it to fail; resolves with its exit code and stderr. */
async function gitCliFailing(
  args: string[],
  cwd?: string,
): Promise<{ code: number; stderr: string }> {
  try {
    await promisify(execFile)('git', args, {
      cwd,
      encoding: 'utf8',
      env: gitEnv,
    });
    return { code: 0, stderr: '' };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

const catalogLocationDeletePermission = createPermission({
  name: 'catalog.location.delete',
  attributes: { action: 'delete' },
});

/**
 * The decisions Paved's policy makes for what these tests touch: backend
 * services are allowed (they reach no policy), callers without a user
 * denied, `catalog.location.delete` is the admins' only, and the forge's
 * own permissions are `forgeDecision()`'s.
 */
function pavedLikePermissions(
  forgeDecision: () => AuthorizeResult.ALLOW | AuthorizeResult.DENY,
): PermissionsService {
  const ownership = testOwnership();
  const decide = async (
    permission: Permission,
    credentials: BackstageCredentials,
  ) => {
    const caller = await ownership.caller(credentials);
    if (caller.type === 'service') return AuthorizeResult.ALLOW;
    if (caller.type !== 'user') return AuthorizeResult.DENY;
    if (permission.name === catalogLocationDeletePermission.name) {
      return caller.isAdmin ? AuthorizeResult.ALLOW : AuthorizeResult.DENY;
    }
    return forgeDecision();
  };
  const answer = async (
    requests: { permission: Permission }[],
    options: { credentials: BackstageCredentials },
  ) =>
    Promise.all(
      requests.map(async r => ({
        result: await decide(r.permission, options.credentials),
      })),
    );
  return {
    authorize: answer,
    authorizeConditional: answer,
  } as unknown as PermissionsService;
}

/** supertest reads unknown content types as nothing; keep the bytes. */
function binary(res: any, cb: (e: Error | null, b: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

describe('forge backend plugin', () => {
  const dir = createMockDirectory();
  const repo = { owner: 'kestrel', name: 'invoices' };
  let forge: LocalForge;
  let commitSha: string;
  let forgeDecision: AuthorizeResult.ALLOW | AuthorizeResult.DENY =
    AuthorizeResult.ALLOW;
  const permissions = pavedLikePermissions(() => forgeDecision);

  const catalog = catalogServiceMock.mock({
    getLocations: jest.fn(async () => ({
      items: [
        {
          id: 'loc-1',
          entityRef: 'location:default/generated-1',
          type: 'url',
          target:
            'http://localhost:7007/api/forge/kestrel/invoices/blob/main/catalog-info.yaml',
        },
        {
          id: 'loc-2',
          entityRef: 'location:default/generated-2',
          type: 'url',
          target:
            'http://localhost:7007/api/forge/kestrel/invoices-two/blob/main/catalog-info.yaml',
        },
        {
          id: 'loc-3',
          entityRef: 'location:default/generated-3',
          type: 'file',
          target: '/catalog/all.yaml',
        },
      ],
    })),
    // As the catalogue does: catalog.location.delete for the caller.
    removeLocationById: jest.fn(async (id: string, options?: any) => {
      const [decision] = await permissions.authorize(
        [{ permission: catalogLocationDeletePermission }],
        { credentials: options?.credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `Unauthorized: may not delete location ${id} (catalog.location.delete)`,
        );
      }
    }),
  });

  async function start(
    options: {
      anonymousRead?: boolean;
      credentials?: 'none' | 'user';
      permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
      auditor?: ReturnType<typeof mockServices.auditor.mock>;
    } = {},
  ) {
    forgeDecision = options.permission ?? AuthorizeResult.ALLOW;
    const backend = await startTestBackend({
      features: [
        forgePlugin,
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            paved: {
              forge: {
                directory: dir.resolve('forge'),
                anonymousRead: options.anonymousRead ?? true,
              },
            },
          },
        }),
        mockServices.httpAuth.factory({
          defaultCredentials:
            options.credentials === 'user'
              ? mockCredentials.user(TEST_USERS.teamA)
              : mockCredentials.none(),
        }),
        // The owners' decisions as Paved's policy makes them.
        createServiceFactory({
          service: ownershipServiceRef,
          deps: {},
          factory: () => testOwnership(),
        }),
        (options.auditor ?? mockServices.auditor.mock()).factory,
        createServiceFactory({
          service: coreServices.permissions,
          deps: {},
          factory: () => permissions,
        }),
        catalog.factory,
        // Capture the forge the plugin uses, to seed it.
        createServiceFactory({
          service: localForgeServiceRef,
          deps: {},
          factory: () => forge,
        }),
      ],
    });
    const { port } = backend.server.address() as AddressInfo;
    return { backend, base: `http://localhost:${port}/api/forge` };
  }

  beforeEach(async () => {
    jest.clearAllMocks();
    dir.clear();
    dir.addContent({
      workspace: {
        'catalog-info.yaml':
          'apiVersion: backstage.io/v1alpha1\nkind: Component\n',
        'README.md': '# Invoices <script>alert(1)</script>\n',
        'docs/index.html': '<script>alert(1)</script>',
        'docs/logo.bin': Buffer.from([0, 1, 2, 3]),
      },
    });
    forge = DefaultLocalForge.create({
      directory: dir.resolve('forge'),
      urls: ForgeUrls.forBackend('http://localhost:7007'),
      logger: mockServices.logger.mock(),
    });
    // Team A's, readable by anyone the forge lets read (internal).
    await forge.createRepository({
      ...repo,
      description: 'Sends invoices',
      visibility: 'internal',
      ownerGroup: TEST_GROUPS.teamA,
    });
    ({ commitSha } = await forge.pushInitialContent({
      ...repo,
      sourceDir: dir.resolve('workspace'),
      branch: 'main',
    }));
  });

  describe('reading', () => {
    it('serves raw files as inert text with the blob id as ETag', async () => {
      const { backend } = await start();
      const res = await request(backend.server).get(
        '/api/forge/kestrel/invoices/raw/main/catalog-info.yaml',
      );
      expect(res.status).toBe(200);
      expect(res.text).toBe(
        'apiVersion: backstage.io/v1alpha1\nkind: Component\n',
      );
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toBe(
        "default-src 'none'; sandbox",
      );
      const { oid } = await forge.readFile(
        repo,
        commitSha,
        'catalog-info.yaml',
      );
      expect(res.headers.etag).toBe(`"${oid}"`);

      const again = await request(backend.server)
        .get('/api/forge/kestrel/invoices/raw/main/catalog-info.yaml')
        .set('If-None-Match', `"${oid}"`);
      expect(again.status).toBe(304);

      // HTML is served as text, never rendered on the portal's origin.
      const html = await request(backend.server).get(
        '/api/forge/kestrel/invoices/raw/main/docs/index.html',
      );
      expect(html.headers['content-type']).toBe('text/plain; charset=utf-8');
      const bytes = await request(backend.server).get(
        `/api/forge/kestrel/invoices/raw/${commitSha}/docs/logo.bin`,
      );
      expect(bytes.headers['content-type']).toBe('application/octet-stream');
      await backend.stop();
    });

    it('answers 404 and 400 with what is wrong', async () => {
      const { backend } = await start();
      const missing = await request(backend.server).get(
        '/api/forge/kestrel/invoices/raw/main/nope.yaml',
      );
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toBe(
        `No file nope.yaml at ${commitSha.slice(
          0,
          7,
        )} of kestrel/invoices on the local forge`,
      );
      const noRepo = await request(backend.server).get(
        '/api/forge/kestrel/gone',
      );
      expect(noRepo.status).toBe(404);
      const bad = await request(backend.server).get(
        '/api/forge/kestrel/bad%20name/raw/main/x',
      );
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(
        /^Invalid repository name "bad name"/,
      );
      const traversal = await request(backend.server).get(
        '/api/forge/kestrel/invoices/raw/main/..%2F..%2F..%2Fetc%2Fpasswd',
      );
      expect(traversal.status).toBe(400);
      await backend.stop();
    });

    it('renders the repository, folders and files as escaped HTML pages', async () => {
      const { backend } = await start();
      const page = await request(backend.server).get(
        '/api/forge/kestrel/invoices',
      );
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain(
        'git clone http://localhost:7007/api/forge/kestrel/invoices.git',
      );
      expect(page.text).toContain(
        'href="http://localhost:7007/api/forge/kestrel/invoices/blob/main/catalog-info.yaml"',
      );
      expect(page.text).toContain(
        'href="http://localhost:7007/api/forge/kestrel/invoices/tree/main/docs"',
      );
      // What "View source" opens: the folder of catalog-info.yaml.
      const source = await request(backend.server).get(
        '/api/forge/kestrel/invoices/tree/main/',
      );
      expect(source.text).toContain('catalog-info.yaml');
      const blob = await request(backend.server).get(
        '/api/forge/kestrel/invoices/blob/main/README.md',
      );
      expect(blob.text).toContain(
        '# Invoices &lt;script&gt;alert(1)&lt;/script&gt;',
      );
      expect(blob.text).not.toContain('<script>');
      const clone = await request(backend.server).get(
        '/api/forge/kestrel/invoices.git',
      );
      expect(clone.status).toBe(302);
      expect(clone.headers.location).toBe(
        'http://localhost:7007/api/forge/kestrel/invoices',
      );
      const index = await request(backend.server).get('/api/forge/');
      expect(index.text).toContain('kestrel/invoices');
      const json = await request(backend.server).get(
        '/api/forge/-/repos/kestrel/invoices',
      );
      expect(json.body).toMatchObject({
        owner: 'kestrel',
        name: 'invoices',
        description: 'Sends invoices',
        defaultBranch: 'main',
        empty: false,
      });
      await backend.stop();
    });

    it('needs a token to read when paved.forge.anonymousRead is off', async () => {
      const { backend } = await start({ anonymousRead: false });
      for (const url of [
        '/api/forge/kestrel/invoices/raw/main/catalog-info.yaml',
        '/api/forge/kestrel/invoices',
        '/api/forge/kestrel/invoices.git/info/refs?service=git-upload-pack',
        '/api/forge/-/repos',
      ]) {
        const res = await request(backend.server).get(url);
        expect({ url, status: res.status }).toEqual({ url, status: 401 });
      }
      const withToken = await request(backend.server)
        .get('/api/forge/kestrel/invoices/raw/main/catalog-info.yaml')
        .set('Authorization', mockCredentials.user.header());
      expect(withToken.status).toBe(200);
      await backend.stop();
    });
  });

  describe('git over smart HTTP', () => {
    it('advertises refs, refuses pushes and dumb clients', async () => {
      const { backend } = await start();
      const refs = await request(backend.server)
        .get(
          '/api/forge/kestrel/invoices.git/info/refs?service=git-upload-pack',
        )
        .buffer(true)
        .parse(binary);
      expect(refs.status).toBe(200);
      expect(refs.headers['content-type']).toBe(
        'application/x-git-upload-pack-advertisement',
      );
      expect(refs.body.toString()).toContain(`${commitSha} refs/heads/main\n`);

      const push = await request(backend.server).get(
        '/api/forge/kestrel/invoices.git/info/refs?service=git-receive-pack',
      );
      expect(push.status).toBe(403);
      expect(push.body.error.message).toMatch(
        /^The local forge is read-only over git/,
      );
      const dumb = await request(backend.server).get(
        '/api/forge/kestrel/invoices.git/info/refs',
      );
      expect(dumb.status).toBe(400);
      expect(dumb.body.error.message).toMatch(
        /^service: expected 'git-upload-pack'/,
      );
      await backend.stop();
    });

    it('accepts gzip requests and reports protocol errors as git does', async () => {
      const { backend } = await start();
      const body = Buffer.concat([
        pktLine(`want ${'0'.repeat(40)} side-band-64k\n`),
        Buffer.from('0000'),
        pktLine('done\n'),
      ]);
      const res = await request(backend.server)
        .post('/api/forge/kestrel/invoices.git/git-upload-pack')
        .set('Content-Type', 'application/x-git-upload-pack-request')
        .set('Content-Encoding', 'gzip')
        .buffer(true)
        .parse(binary)
        .send(gzipSync(body));
      expect(res.status).toBe(200);
      expect(res.body.toString()).toBe(
        pktLine(`ERR not our ref ${'0'.repeat(40)}\n`).toString(),
      );
      await backend.stop();
    });

    it('refuses a request that inflates past 1 MB, before reading the repository', async () => {
      const { backend } = await start();
      // 2 MB of have lines, compressed to a few kilobytes.
      const have = pktLine(`have ${'f'.repeat(40)}\n`);
      const body = gzipSync(
        Buffer.concat(Array.from({ length: 45_000 }, () => have)),
      );
      expect(body.length).toBeLessThan(100_000);
      const spy = jest.spyOn(forge, 'packObjects');
      const res = await request(backend.server)
        .post('/api/forge/kestrel/invoices.git/git-upload-pack')
        .set('Content-Type', 'application/x-git-upload-pack-request')
        .set('Content-Encoding', 'gzip')
        .send(body);
      expect(res.status).toBe(413);
      expect(spy).not.toHaveBeenCalled();
      await backend.stop();
    });

    it('is cloned by isomorphic-git, files and history intact', async () => {
      const { backend, base } = await start();
      const target = dir.resolve('iso-clone');
      await git.clone({
        fs,
        http,
        dir: target,
        url: `${base}/kestrel/invoices.git`,
      });
      expect(await git.resolveRef({ fs, dir: target, ref: 'HEAD' })).toBe(
        commitSha,
      );
      expect(
        fs.readFileSync(path.join(target, 'catalog-info.yaml'), 'utf8'),
      ).toBe('apiVersion: backstage.io/v1alpha1\nkind: Component\n');
      expect(fs.readFileSync(path.join(target, 'docs/logo.bin'))).toEqual(
        Buffer.from([0, 1, 2, 3]),
      );
      await backend.stop();
    });

    describeWithGit('with the git CLI', () => {
      it('clones, fscks and fetches a new branch with negotiation', async () => {
        const { backend, base } = await start();
        const target = dir.resolve('cli-clone');
        await gitCli([
          'clone',
          '--quiet',
          `${base}/kestrel/invoices.git`,
          target,
        ]);
        expect((await gitCli(['rev-parse', 'HEAD'], target)).trim()).toBe(
          commitSha,
        );
        expect(await gitCli(['fsck', '--strict'], target)).toBe('');
        expect(fs.readFileSync(path.join(target, 'README.md'), 'utf8')).toBe(
          '# Invoices <script>alert(1)</script>\n',
        );

        // A second branch: the fetch says what it has (multi_ack_detailed).
        dir.addContent({ workspace2: { 'README.md': 'next\n' } });
        const next = await forge.pushInitialContent({
          ...repo,
          sourceDir: dir.resolve('workspace2'),
          branch: 'feature/next',
        });
        await gitCli(['fetch', '--quiet', 'origin'], target);
        expect(
          (await gitCli(['rev-parse', 'origin/feature/next'], target)).trim(),
        ).toBe(next.commitSha);
        expect(await gitCli(['fsck', '--strict'], target)).toBe('');

        // Shallow clones are refused with a clear message, not a broken pack.
        const shallow = await gitCliFailing([
          'clone',
          '--depth',
          '1',
          `${base}/kestrel/invoices.git`,
          dir.resolve('shallow'),
        ]);
        expect(shallow.code).not.toBe(0);
        expect(shallow.stderr).toMatch(/shallow/i);
        await backend.stop();
      });

      it('refuses git push', async () => {
        const { backend, base } = await start();
        const target = dir.resolve('cli-clone');
        await gitCli([
          'clone',
          '--quiet',
          `${base}/kestrel/invoices.git`,
          target,
        ]);
        fs.writeFileSync(path.join(target, 'new.txt'), 'x');
        await gitCli(['add', '.'], target);
        await gitCli(
          ['-c', 'user.name=a', '-c', 'user.email=a@b', 'commit', '-qm', 'x'],
          target,
        );
        const push = await gitCliFailing(
          ['push', 'origin', 'HEAD:main'],
          target,
        );
        expect(push.code).not.toBe(0);
        expect(push.stderr).toMatch(/403/);
        expect((await forge.resolvePath(repo, 'main')).commitSha).toBe(
          commitSha,
        );
        await backend.stop();
      });
    });
  });

  describe('DELETE /-/repos/:owner/:repo', () => {
    it('unregisters the locations reading from the repository, then deletes it', async () => {
      const { backend } = await start({ credentials: 'user' });
      const res = await request(backend.server).delete(
        '/api/forge/-/repos/kestrel/invoices',
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        existed: true,
        unregisteredLocations: [
          'http://localhost:7007/api/forge/kestrel/invoices/blob/main/catalog-info.yaml',
        ],
      });
      expect(catalog.removeLocationById).toHaveBeenCalledTimes(1);
      // As the forge itself, once the owner's delete was allowed.
      expect(catalog.removeLocationById).toHaveBeenCalledWith('loc-1', {
        credentials: mockCredentials.service('plugin:forge'),
      });
      await expect(forge.getRepository(repo)).resolves.toBeUndefined();

      const again = await request(backend.server).delete(
        '/api/forge/-/repos/kestrel/invoices?unregister=false',
      );
      expect(again.body).toEqual({ existed: false, unregisteredLocations: [] });
      await backend.stop();
    });

    it('needs credentials and the permission, and touches nothing otherwise', async () => {
      const anonymous = await start({ credentials: 'none' });
      const unauthenticated = await request(anonymous.backend.server).delete(
        '/api/forge/-/repos/kestrel/invoices',
      );
      expect(unauthenticated.status).toBe(401);
      await anonymous.backend.stop();

      const denied = await start({
        credentials: 'user',
        permission: AuthorizeResult.DENY,
      });
      const res = await request(denied.backend.server).delete(
        '/api/forge/-/repos/kestrel/invoices',
      );
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        'You may not delete kestrel/invoices from the local forge (permission forge.repository.delete)',
      );
      expect(catalog.getLocations).not.toHaveBeenCalled();
      await expect(forge.getRepository(repo)).resolves.toBeDefined();
      await denied.backend.stop();
    });
  });
  describe('DELETE by owners and admins only', () => {
    const as = (user: string) => mockCredentials.user.header(user);
    const del = (backend: any, user: string, name = 'invoices') =>
      request(backend.server)
        .delete(`/api/forge/-/repos/kestrel/${name}`)
        .set('Authorization', as(user));

    it("refuses team B deleting team A's repository with 403 naming the owner and the permission, deleting and unregistering nothing", async () => {
      const auditor = mockServices.auditor.mock();
      const { backend } = await start({ auditor });
      const res = await del(backend, TEST_USERS.teamB);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(
        /^user:default\/jonas-weber may not delete repository localhost:7007\/kestrel\/invoices: it is owned by group:default\/storefront, and the policy refused paved\.target\.delete/,
      );
      await expect(forge.getRepository(repo)).resolves.toBeDefined();
      expect(catalog.getLocations).not.toHaveBeenCalled();
      expect(catalog.removeLocationById).not.toHaveBeenCalled();
      expect(auditor.createEvent).toHaveBeenCalledWith({
        eventId: 'repository-delete',
        severityLevel: 'high',
        meta: {
          actor: TEST_USERS.teamB,
          target: 'repository localhost:7007/kestrel/invoices',
          taskId: null,
          forge: 'local',
        },
      });
      await backend.stop();
    });

    it('lets a member of the owning team and an admin delete; a repository without a recorded owner only an admin', async () => {
      await forge.createRepository({ owner: 'kestrel', name: 'invoices-two' });
      await forge.createRepository({
        owner: 'kestrel',
        name: 'orders',
        ownerGroup: TEST_GROUPS.teamA,
      });
      const { backend } = await start();
      const byOwner = await del(backend, TEST_USERS.teamAMate);
      expect(byOwner.status).toBe(200);
      expect(byOwner.body.existed).toBe(true);
      const byAdmin = await del(backend, TEST_USERS.admin, 'orders');
      expect(byAdmin.status).toBe(200);

      const unowned = await del(backend, TEST_USERS.teamA, 'invoices-two');
      expect(unowned.status).toBe(403);
      expect(unowned.body.error.message).toBe(
        'You may not delete kestrel/invoices-two from the local forge: it has no recorded owner (Paved did not create it), so only admins may delete it',
      );
      await expect(
        forge.getRepository({ owner: 'kestrel', name: 'invoices-two' }),
      ).resolves.toBeDefined();
      const unownedByAdmin = await del(
        backend,
        TEST_USERS.admin,
        'invoices-two',
      );
      expect(unownedByAdmin.status).toBe(200);
      expect(await forge.listRepositories()).toEqual([]);
      await backend.stop();
    });

    it('lets a non-admin owner delete a repository with locations: the forge unregisters them as itself', async () => {
      // The catalogue refuses the owner's own unregistering (admins only).
      await expect(
        catalog.removeLocationById('loc-1', {
          credentials: mockCredentials.user(TEST_USERS.teamAMate),
        }),
      ).rejects.toThrow(/catalog\.location\.delete/);
      catalog.removeLocationById.mockClear();
      const auditor = mockServices.auditor.mock();
      const { backend } = await start({ auditor });
      const res = await del(backend, TEST_USERS.teamAMate);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        existed: true,
        unregisteredLocations: [
          'http://localhost:7007/api/forge/kestrel/invoices/blob/main/catalog-info.yaml',
        ],
      });
      expect(catalog.removeLocationById).toHaveBeenCalledTimes(1);
      expect(catalog.removeLocationById).toHaveBeenCalledWith('loc-1', {
        credentials: mockCredentials.service('plugin:forge'),
      });
      await expect(forge.getRepository(repo)).resolves.toBeUndefined();
      // The actor audited is the owner, not the forge.
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'repository-delete',
          meta: expect.objectContaining({ actor: TEST_USERS.teamAMate }),
        }),
      );

      // Team B still may not, and its refusal unregisters nothing.
      await forge.createRepository({
        owner: 'kestrel',
        name: 'orders',
        ownerGroup: TEST_GROUPS.teamA,
      });
      catalog.removeLocationById.mockClear();
      const refused = await del(backend, TEST_USERS.teamB, 'orders');
      expect(refused.status).toBe(403);
      expect(catalog.removeLocationById).not.toHaveBeenCalled();
      await backend.stop();
    });

    it('refuses a service caller, which owns nothing', async () => {
      const { backend } = await start();
      const res = await request(backend.server)
        .delete('/api/forge/-/repos/kestrel/invoices')
        .set('Authorization', mockCredentials.service.header());
      expect(res.status).toBe(403);
      await expect(forge.getRepository(repo)).resolves.toBeDefined();
      await backend.stop();
    });

    it('unregisters locations whose URL differs only in letter case', async () => {
      catalog.getLocations.mockResolvedValueOnce({
        items: [
          {
            id: 'loc-upper',
            type: 'url',
            target:
              'HTTP://LOCALHOST:7007/api/forge/Kestrel/Invoices/blob/main/catalog-info.yaml',
          },
          {
            id: 'loc-other',
            type: 'url',
            target:
              'http://localhost:7007/api/forge/Kestrel/Invoices-Two/blob/main/catalog-info.yaml',
          },
        ],
      } as any);
      const { backend } = await start({ credentials: 'user' });
      const res = await request(backend.server).delete(
        '/api/forge/-/repos/kestrel/invoices',
      );
      expect(res.status).toBe(200);
      expect(res.body.unregisteredLocations).toEqual([
        'HTTP://LOCALHOST:7007/api/forge/Kestrel/Invoices/blob/main/catalog-info.yaml',
      ]);
      expect(catalog.removeLocationById).toHaveBeenCalledTimes(1);
      expect(catalog.removeLocationById).toHaveBeenCalledWith(
        'loc-upper',
        expect.anything(),
      );
      await backend.stop();
    });
  });

  describe('private repositories', () => {
    const secret = { owner: 'kestrel', name: 'secret' };
    const urls = [
      '/api/forge/kestrel/secret/raw/main/README.md',
      '/api/forge/kestrel/secret',
      '/api/forge/kestrel/secret/blob/main/README.md',
      '/api/forge/kestrel/secret.git/info/refs?service=git-upload-pack',
      '/api/forge/-/repos/kestrel/secret',
    ];

    beforeEach(async () => {
      await forge.createRepository({
        ...secret,
        visibility: 'private',
        ownerGroup: TEST_GROUPS.teamA,
      });
      await forge.pushInitialContent({
        ...secret,
        sourceDir: dir.resolve('workspace'),
        branch: 'main',
      });
    });

    it('are read by their owners, admins and services only, even where anonymous reads are on', async () => {
      const { backend } = await start({ anonymousRead: true });
      const status = async (url: string, auth?: string) => {
        const req = request(backend.server).get(url);
        const res = await (auth ? req.set('Authorization', auth) : req);
        return res.status;
      };
      const user = (ref: string) => mockCredentials.user.header(ref);
      for (const url of urls) {
        expect({ url, anonymous: await status(url) }).toEqual({
          url,
          anonymous: 401,
        });
        expect({
          url,
          teamB: await status(url, user(TEST_USERS.teamB)),
        }).toEqual({ url, teamB: 403 });
        expect({
          url,
          teamA: await status(url, user(TEST_USERS.teamA)),
        }).toEqual({ url, teamA: 200 });
        expect({
          url,
          admin: await status(url, user(TEST_USERS.admin)),
        }).toEqual({ url, admin: 200 });
        expect({
          url,
          service: await status(url, mockCredentials.service.header()),
        }).toEqual({ url, service: 200 });
      }
      const refused = await request(backend.server)
        .get('/api/forge/kestrel/secret/raw/main/README.md')
        .set('Authorization', user(TEST_USERS.teamB));
      expect(refused.body.error.message).toBe(
        'user:default/jonas-weber may not read kestrel/secret: it is a private repository of group:default/storefront, and only its members and admins read it',
      );
      // Lists leave it out for those who may not read it.
      const names = async (auth?: string) => {
        const req = request(backend.server).get('/api/forge/-/repos');
        const res = await (auth ? req.set('Authorization', auth) : req);
        return res.body.items.map((r: any) => r.name);
      };
      expect(await names()).toEqual(['invoices']);
      expect(await names(user(TEST_USERS.teamB))).toEqual(['invoices']);
      expect(await names(user(TEST_USERS.teamA))).toEqual([
        'invoices',
        'secret',
      ]);
      const page = await request(backend.server).get('/api/forge/');
      expect(page.text).not.toContain('secret');
      await backend.stop();
    });

    it("are read in the browser with the user cookie of their owners, not another team's", async () => {
      const { backend } = await start({ anonymousRead: false });
      /** The cookie the app fetches once signed in, from the real route. */
      const cookieOf = async (userRef: string) => {
        const res = await request(backend.server)
          .get('/api/forge/.backstage/auth/v1/cookie')
          .set('Authorization', mockCredentials.user.header(userRef));
        expect(res.status).toBe(200);
        expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now());
        const [cookie] = res.get('Set-Cookie') ?? [];
        expect(cookie).toBeDefined();
        return cookie.split(';')[0];
      };
      const teamA = await cookieOf(TEST_USERS.teamA);
      const teamB = await cookieOf(TEST_USERS.teamB);
      const status = async (url: string, cookie?: string) => {
        const req = request(backend.server).get(url);
        return (await (cookie ? req.set('Cookie', cookie) : req)).status;
      };
      const browserUrls = urls.filter(u => !u.startsWith('/api/forge/-/'));
      for (const url of browserUrls) {
        expect({ url, teamA: await status(url, teamA) }).toEqual({
          url,
          teamA: 200,
        });
        expect({ url, teamB: await status(url, teamB) }).toEqual({
          url,
          teamB: 403,
        });
        expect({ url, anonymous: await status(url) }).toEqual({
          url,
          anonymous: 401,
        });
      }
      // The repository list page shows it to its owners only.
      const list = await request(backend.server)
        .get('/api/forge/')
        .set('Cookie', teamA);
      expect(list.text).toContain('secret');
      const listB = await request(backend.server)
        .get('/api/forge/')
        .set('Cookie', teamB);
      expect(listB.status).toBe(200);
      expect(listB.text).not.toContain('secret');
      // The JSON API and DELETE take tokens only: a cookie is no credential.
      expect(await status('/api/forge/-/repos/kestrel/secret', teamA)).toBe(
        401,
      );
      const deleted = await request(backend.server)
        .delete('/api/forge/-/repos/kestrel/secret')
        .set('Cookie', teamA);
      expect(deleted.status).toBe(401);
      await expect(forge.getRepository(secret)).resolves.toBeDefined();
      await backend.stop();
    });

    it('cannot be cloned by git without being its owner', async () => {
      const { base, backend } = await start({ anonymousRead: true });
      const target = await fs.promises.mkdtemp(
        path.join(os.tmpdir(), 'forge-private-'),
      );
      await expect(
        git.clone({ fs, http, dir: target, url: `${base}/kestrel/secret.git` }),
      ).rejects.toThrow(/401/);
      await backend.stop();
    });
  });
});
