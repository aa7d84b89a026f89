import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultLocalForge } from './DefaultLocalForge';
import { ForgeUrls } from './ForgeUrls';
import { writeWorkspaceTree } from '@paved/plugin-git-node';

const hasGit = spawnSync('git', ['--version']).status === 0;
/** Checks against the real git run where it is installed (it is not needed otherwise). */
const describeWithGit = hasGit ? describe : describe.skip;

function git(args: string[], cwd?: string): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: os.tmpdir() },
  });
}

describe('DefaultLocalForge', () => {
  const dir = createMockDirectory();
  let forge: DefaultLocalForge;
  const repo = { owner: 'kestrel', name: 'invoices' };

  const workspace = (name: string, content: Record<string, any>) => {
    dir.addContent({ [`workspaces/${name}`]: content });
    return dir.resolve(`workspaces/${name}`);
  };
  const gitdir = () => dir.resolve('forge/kestrel/invoices.git');

  beforeEach(() => {
    dir.clear();
    forge = DefaultLocalForge.create({
      directory: dir.resolve('forge'),
      urls: ForgeUrls.forBackend('http://localhost:7007'),
      logger: mockServices.logger.mock(),
    });
  });

  describe('createRepository', () => {
    it('creates an empty bare repository under <owner>/<name>.git', async () => {
      const result = await forge.createRepository({
        owner: 'Kestrel',
        name: 'Invoices',
        description: 'Sends invoices',
        topics: ['billing'],
        defaultBranch: 'trunk',
      });
      expect(result).toEqual({
        created: true,
        adopted: false,
        owner: 'kestrel',
        name: 'invoices',
        htmlUrl: 'http://localhost:7007/api/forge/kestrel/invoices',
        cloneUrl: 'http://localhost:7007/api/forge/kestrel/invoices.git',
        defaultBranch: 'trunk',
      });
      expect(fs.readFileSync(path.join(gitdir(), 'HEAD'), 'utf8')).toBe(
        'ref: refs/heads/trunk\n',
      );
      await expect(forge.getRepository(repo)).resolves.toMatchObject({
        ...repo,
        description: 'Sends invoices',
        topics: ['billing'],
        visibility: 'private',
        defaultBranch: 'trunk',
        empty: true,
      });
      // Nothing left in the folder repositories are assembled in.
      expect(fs.readdirSync(dir.resolve('forge/.tmp'))).toEqual([]);
    });

    describeWithGit('checked with the git CLI', () => {
      it('creates a repository git itself recognises', async () => {
        await forge.createRepository(repo);
        expect(
          git([
            '--git-dir',
            gitdir(),
            'rev-parse',
            '--is-bare-repository',
          ]).trim(),
        ).toBe('true');
        expect(
          git(['--git-dir', gitdir(), 'symbolic-ref', 'HEAD']).trim(),
        ).toBe('refs/heads/main');
      });
    });

    it('adopts an existing repository, updating its settings', async () => {
      await forge.createRepository({ ...repo, description: 'old' });
      const again = await forge.createRepository({
        ...repo,
        description: 'new',
        visibility: 'internal',
        defaultBranch: 'develop',
      });
      expect(again).toMatchObject({
        created: false,
        adopted: true,
        defaultBranch: 'develop',
      });
      await expect(forge.getRepository(repo)).resolves.toMatchObject({
        description: 'new',
        visibility: 'internal',
        defaultBranch: 'develop',
      });
    });

    it("records the owning group in the repository's metadata, keeps it when adopted, and never replaces it", async () => {
      await forge.createRepository({
        ...repo,
        ownerGroup: 'Group:default/Storefront',
      });
      await expect(forge.getRepository(repo)).resolves.toMatchObject({
        ownerGroup: 'group:default/storefront',
      });
      // A crashed run's repository adopted without an owner keeps its marker.
      await forge.createRepository({ ...repo, description: 'again' });
      await forge.createRepository({
        ...repo,
        ownerGroup: 'group:default/storefront',
      });
      await expect(forge.getRepository(repo)).resolves.toMatchObject({
        ownerGroup: 'group:default/storefront',
      });
      await expect(
        forge.createRepository({
          ...repo,
          ownerGroup: 'group:default/fulfilment',
        }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message:
          'kestrel/invoices on the local forge is recorded as owned by group:default/storefront; Paved will not record group:default/fulfilment as its owner',
      });
      await expect(forge.getRepository(repo)).resolves.toMatchObject({
        ownerGroup: 'group:default/storefront',
      });
      await expect(
        forge.createRepository({ ...repo, ownerGroup: 'user:default/lena' }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(
          /^ownerGroup: "user:default\/lena" is not a group entity ref/,
        ),
      });
    });

    it('keeps the default branch of a repository that has content', async () => {
      await forge.createRepository(repo);
      await forge.pushInitialContent({
        ...repo,
        sourceDir: workspace('a', { 'README.md': 'hi' }),
        branch: 'main',
      });
      await expect(
        forge.createRepository({ ...repo, defaultBranch: 'develop' }),
      ).resolves.toMatchObject({ adopted: true, defaultBranch: 'main' });
    });

    it('converges after a crash that left a half-built repository behind', async () => {
      // What a crash during initRepository leaves: a partial folder in .tmp.
      dir.addContent({ 'forge/.tmp/kestrel--invoices--abc123/HEAD': 'ref: ' });
      await expect(forge.createRepository(repo)).resolves.toMatchObject({
        created: true,
      });
      await expect(forge.getRepository(repo)).resolves.toMatchObject({
        empty: true,
      });
    });

    it.each([
      [{ owner: '../etc', name: 'x' }, /Invalid repository owner "..\/etc"/],
      [{ owner: 'kestrel', name: '../../x' }, /Invalid repository name/],
      [{ owner: 'kestrel', name: 'a/b' }, /Invalid repository name "a\/b"/],
      [
        { owner: 'kestrel', name: 'x', topics: ['Bad Topic'] },
        /Invalid topic "Bad Topic"/,
      ],
      [
        { owner: 'kestrel', name: 'x', visibility: 'public' as any },
        /Invalid visibility "public": expected 'private' or 'internal'/,
      ],
      [
        { owner: 'kestrel', name: 'x', defaultBranch: 'a..b' },
        /Invalid branch name "a..b"/,
      ],
    ])(
      'refuses bad input %j without writing anything',
      async (options, message) => {
        await expect(forge.createRepository(options)).rejects.toThrow(message);
        expect(fs.existsSync(dir.resolve('forge'))).toBe(false);
      },
    );

    it('refuses an owner outside paved.forge.allowedOwners', async () => {
      const restricted = DefaultLocalForge.create({
        directory: dir.resolve('forge'),
        urls: ForgeUrls.forBackend('http://localhost:7007'),
        allowedOwners: ['Kestrel'],
        logger: mockServices.logger.mock(),
      });
      await expect(
        restricted.createRepository({ owner: 'acme', name: 'x' }),
      ).rejects.toThrow(
        expect.objectContaining({
          name: 'NotAllowedError',
          message:
            'Owner "acme" is not allowed on the local forge; paved.forge.allowedOwners lists kestrel',
        }),
      );
      await expect(
        restricted.createRepository({ owner: 'KESTREL', name: 'x' }),
      ).resolves.toMatchObject({ created: true });
    });
  });

  describe('pushInitialContent', () => {
    const content = {
      'README.md': '# Invoices\n',
      'catalog-info.yaml': 'kind: Component\n',
      'src/index.ts': 'export {};\n',
      'bin/run.sh': '#!/bin/sh\necho hi\n',
      '.gitignore': 'node_modules\n*.log\n',
      'node_modules/left-pad/index.js': 'ignored',
      'debug.log': 'ignored',
      '.git/config': 'a stray repository',
      'empty-folder': {},
    };

    beforeEach(async () => {
      await forge.createRepository(repo);
    });

    it('commits the folder as git add . would, and is idempotent', async () => {
      const sourceDir = workspace('a', content);
      fs.chmodSync(path.join(sourceDir, 'bin/run.sh'), 0o755);
      fs.symlinkSync('README.md', path.join(sourceDir, 'LINK.md'));

      const first = await forge.pushInitialContent({
        ...repo,
        sourceDir,
        branch: 'main',
        message: 'Create invoices',
        author: { name: 'Paved', email: 'paved@kestrel.example' },
      });
      expect(first).toEqual({
        commitSha: expect.stringMatching(/^[0-9a-f]{40}$/),
        pushed: true,
      });

      const { commitSha } = await forge.resolvePath(repo, '');
      expect(commitSha).toBe(first.commitSha);
      const { files } = await forge.listFiles(repo, commitSha, '');
      expect(Object.fromEntries(files.map(f => [f.path, f.mode]))).toEqual({
        '.gitignore': '100644',
        'LINK.md': '120000',
        'README.md': '100644',
        'bin/run.sh': '100755',
        'catalog-info.yaml': '100644',
        'src/index.ts': '100644',
      });
      const readme = await forge.readFile(repo, commitSha, 'README.md');
      expect(readme.content.toString()).toBe('# Invoices\n');

      // The same tree again (a retried task renders a fresh workspace):
      // nothing new, same commit.
      const again = dir.resolve('workspaces/b');
      fs.cpSync(sourceDir, again, { recursive: true, verbatimSymlinks: true });
      const second = await forge.pushInitialContent({
        ...repo,
        sourceDir: again,
        branch: 'main',
      });
      expect(second).toEqual({ commitSha: first.commitSha, pushed: false });
    });

    describeWithGit('checked with the git CLI', () => {
      it('stores the very tree git add -A and git write-tree make of the folder', async () => {
        const sourceDir = workspace('tricky', {
          'a-b': 'dash\n',
          'a.b': 'dot\n',
          a: { 'z.txt': 'in a folder named a\n' },
          a0: 'zero\n',
          'empty.txt': '',
          'naïve café.md': 'unicode name\n',
          'group-exec.sh': '#!/bin/sh\n',
          'owner-exec.sh': '#!/bin/sh\n',
          docs: { '.gitignore': '*.tmp\n', 'x.tmp': 'ignored', 'y.md': 'y\n' },
          '.gitignore': 'dist/\n',
          dist: { 'bundle.js': 'ignored' },
          deep: { er: { still: { 'f.txt': 'deep\n' } } },
        });
        fs.chmodSync(path.join(sourceDir, 'group-exec.sh'), 0o654);
        fs.chmodSync(path.join(sourceDir, 'owner-exec.sh'), 0o744);
        fs.symlinkSync('a/z.txt', path.join(sourceDir, 'link'));
        fs.symlinkSync('../outside', path.join(sourceDir, 'dangling'));

        const { tree } = await writeWorkspaceTree(gitdir(), sourceDir);
        const reference = dir.resolve('reference.git');
        git(['init', '--quiet', '--bare', reference]);
        const inWorkspace = (args: string[]) =>
          git(
            ['--git-dir', reference, '--work-tree', sourceDir, ...args],
            sourceDir,
          );
        inWorkspace(['add', '-A']);
        expect(tree).toBe(inWorkspace(['write-tree']).trim());
        git(['--git-dir', gitdir(), 'fsck', '--strict', '--no-dangling']);
      });

      it('leaves out a .git folder in any case, as git refuses one', async () => {
        const sourceDir = workspace('dotgit', {
          'README.md': '# x\n',
          '.GIT': { config: '[core]\n\tbare = false\n' },
          sub: {
            '.Git': { hooks: { 'post-checkout': 'evil' } },
            'f.txt': 'f\n',
          },
        });
        const { tree } = await writeWorkspaceTree(gitdir(), sourceDir);
        const listing = git([
          '--git-dir',
          gitdir(),
          'ls-tree',
          '-r',
          '--name-only',
          tree,
        ]);
        expect(listing.trim().split('\n')).toEqual(['README.md', 'sub/f.txt']);
        git(['--git-dir', gitdir(), 'fsck', '--strict', '--no-dangling']);
      });

      it('writes a history git clones and fscks cleanly', async () => {
        const sourceDir = workspace('a', content);
        fs.chmodSync(path.join(sourceDir, 'bin/run.sh'), 0o755);
        const { commitSha } = await forge.pushInitialContent({
          ...repo,
          sourceDir,
          branch: 'main',
          author: { name: 'Paved', email: 'paved@kestrel.example' },
        });
        git(['--git-dir', gitdir(), 'fsck', '--strict', '--no-dangling']);
        const clone = dir.resolve('clone');
        git(['clone', '--quiet', gitdir(), clone]);
        expect(git(['rev-parse', 'HEAD'], clone).trim()).toBe(commitSha);
        expect(git(['log', '--format=%an <%ae>|%s'], clone).trim()).toBe(
          'Paved <paved@kestrel.example>|initial commit',
        );
        expect(fs.readFileSync(path.join(clone, 'src/index.ts'), 'utf8')).toBe(
          'export {};\n',
        );
        expect(
          fs.statSync(path.join(clone, 'bin/run.sh')).mode & 0o111,
        ).not.toBe(0);
        expect(fs.existsSync(path.join(clone, 'debug.log'))).toBe(false);
        expect(git(['status', '--porcelain'], clone)).toBe('');
      });
    });

    it('refuses a branch that holds other content, naming the repository', async () => {
      await forge.pushInitialContent({
        ...repo,
        sourceDir: workspace('a', { 'README.md': 'one' }),
        branch: 'main',
      });
      await expect(
        forge.pushInitialContent({
          ...repo,
          sourceDir: workspace('b', { 'README.md': 'two' }),
          branch: 'main',
        }),
      ).rejects.toThrow(
        expect.objectContaining({
          name: 'ConflictError',
          message: expect.stringMatching(
            /^Repository kestrel\/invoices on the local forge already holds other content on branch main \(commit [0-9a-f]{7}\)/,
          ),
        }),
      );
    });

    it('says when the repository does not exist', async () => {
      await expect(
        forge.pushInitialContent({
          owner: 'kestrel',
          name: 'nowhere',
          sourceDir: workspace('a', { 'README.md': 'x' }),
          branch: 'main',
        }),
      ).rejects.toThrow(
        expect.objectContaining({
          name: 'NotFoundError',
          message:
            'Repository kestrel/nowhere does not exist on the local forge',
        }),
      );
    });

    it('refuses a bad author', async () => {
      await expect(
        forge.pushInitialContent({
          ...repo,
          sourceDir: workspace('a', { 'README.md': 'x' }),
          branch: 'main',
          author: { name: 'Eve <evil>', email: 'e@x' },
        }),
      ).rejects.toThrow(/^Invalid author.name "Eve <evil>"/);
    });

    it('converges after a crash between writing objects and moving the branch', async () => {
      const sourceDir = workspace('a', content);
      // A crashed push: every object written, a stray temporary object, a
      // lock file the crashed writer never removed, and no branch yet.
      await writeWorkspaceTree(gitdir(), sourceDir);
      dir.addContent({
        'forge/kestrel/invoices.git/objects/tmp_obj_deadbeef': 'trunc',
        'forge/kestrel/invoices.git/refs/heads/main.lock': '',
      });
      const lock = path.join(gitdir(), 'refs/heads/main.lock');
      const old = new Date(Date.now() - 60_000);
      fs.utimesSync(lock, old, old);
      await expect(forge.listRefs(repo)).resolves.toEqual({ refs: [] });

      const result = await forge.pushInitialContent({
        ...repo,
        sourceDir,
        branch: 'main',
      });
      expect(result.pushed).toBe(true);
      expect(fs.existsSync(lock)).toBe(false);
      await expect(forge.listRefs(repo)).resolves.toEqual({
        head: { target: 'refs/heads/main', oid: result.commitSha },
        refs: [{ name: 'refs/heads/main', oid: result.commitSha }],
      });
      if (hasGit) git(['--git-dir', gitdir(), 'fsck', '--strict']);
    });

    it('does not break a fresh lock held by another writer', async () => {
      dir.addContent({
        'forge/kestrel/invoices.git/refs/heads/main.lock': '',
      });
      await expect(
        forge.pushInitialContent({
          ...repo,
          sourceDir: workspace('a', { 'README.md': 'x' }),
          branch: 'main',
        }),
      ).rejects.toThrow(
        expect.objectContaining({
          name: 'ConflictError',
          message: expect.stringContaining(
            'refs/heads/main is being updated by another writer',
          ),
        }),
      );
    });

    it('serialises concurrent pushes: the same content converges, other content conflicts', async () => {
      const same = await Promise.all([
        forge.pushInitialContent({
          ...repo,
          sourceDir: workspace('a', { x: '1' }),
          branch: 'main',
        }),
        forge.pushInitialContent({
          ...repo,
          sourceDir: workspace('b', { x: '1' }),
          branch: 'main',
        }),
      ]);
      expect(same.map(r => r.pushed).sort()).toEqual([false, true]);
      expect(same[0].commitSha).toBe(same[1].commitSha);

      const other = await Promise.allSettled([
        forge.pushInitialContent({
          ...repo,
          sourceDir: workspace('c', { y: '1' }),
          branch: 'next',
        }),
        forge.pushInitialContent({
          ...repo,
          sourceDir: workspace('d', { y: '2' }),
          branch: 'next',
        }),
      ]);
      expect(other.map(r => r.status).sort()).toEqual([
        'fulfilled',
        'rejected',
      ]);
    });
  });

  describe('reading', () => {
    let commitSha: string;

    beforeEach(async () => {
      await forge.createRepository(repo);
      ({ commitSha } = await forge.pushInitialContent({
        ...repo,
        sourceDir: workspace('a', {
          'catalog-info.yaml': 'kind: Component\n',
          'docs/index.md': '# Docs\n',
          'docs/guide/start.md': 'start\n',
        }),
        branch: 'feature/x',
      }));
    });

    it('resolves branches with slashes, full and short commit ids', async () => {
      await expect(
        forge.resolvePath(repo, 'feature/x/docs/index.md'),
      ).resolves.toEqual({
        ref: 'feature/x',
        commitSha,
        path: 'docs/index.md',
      });
      await expect(
        forge.resolvePath(repo, `${commitSha}/docs`),
      ).resolves.toEqual({ ref: commitSha, commitSha, path: 'docs' });
      await expect(
        forge.resolvePath(repo, `${commitSha.slice(0, 7)}`),
      ).resolves.toMatchObject({ commitSha, path: '' });
      // HEAD followed the only branch there is.
      await expect(forge.resolvePath(repo, '')).resolves.toMatchObject({
        ref: 'feature/x',
      });
    });

    it('says what is missing', async () => {
      await expect(forge.resolvePath(repo, 'nope/x')).rejects.toThrow(
        'No branch, tag or commit of kestrel/invoices on the local forge starts "nope/x"',
      );
      await expect(
        forge.resolvePath(repo, '../../../etc/passwd'),
      ).rejects.toThrow(expect.objectContaining({ name: 'NotFoundError' }));
      await expect(forge.readFile(repo, commitSha, 'docs')).rejects.toThrow(
        `No file docs at ${commitSha.slice(
          0,
          7,
        )} of kestrel/invoices on the local forge`,
      );
      await expect(
        forge.readDirectory(repo, commitSha, 'catalog-info.yaml'),
      ).rejects.toThrow(expect.objectContaining({ name: 'NotFoundError' }));
      await expect(forge.readFile(repo, commitSha, '../x')).rejects.toThrow(
        'Invalid path "../x": \'..\' is not allowed',
      );
    });

    it('reads folders (folders first) and files with their object ids', async () => {
      const root = await forge.readDirectory(repo, commitSha, '');
      expect(root.entries.map(e => `${e.type}:${e.path}`)).toEqual([
        'tree:docs',
        'blob:catalog-info.yaml',
      ]);
      const docs = await forge.readDirectory(repo, commitSha, '/docs/');
      expect(docs.entries.map(e => e.path)).toEqual([
        'docs/guide',
        'docs/index.md',
      ]);
      const file = await forge.readFile(repo, commitSha, 'docs/guide/start.md');
      expect(file).toMatchObject({
        path: 'docs/guide/start.md',
        mode: '100644',
        commitSha,
      });
      expect(file.content.toString()).toBe('start\n');
      await expect(forge.readBlob(repo, file.oid)).resolves.toEqual(
        file.content,
      );
      const listing = await forge.listFiles(repo, commitSha, 'docs');
      expect(listing.oid).toBe(docs.oid);
      expect(listing.files.map(f => f.path).sort()).toEqual([
        'guide/start.md',
        'index.md',
      ]);
    });

    it('packs only advertised tips', async () => {
      await expect(
        forge.packObjects(repo, { wants: ['0'.repeat(40)], haves: [] }),
      ).rejects.toThrow(`not our ref ${'0'.repeat(40)}`);
      const { pack, common } = await forge.packObjects(repo, {
        wants: [commitSha],
        haves: [commitSha, 'f'.repeat(40)],
      });
      expect(common).toEqual([commitSha]);
      await expect(
        forge.packObjects(repo, {
          wants: [commitSha],
          haves: [commitSha],
          pack: false,
        }),
      ).resolves.toEqual({ common: [commitSha] });
      // Header "PACK", version 2, zero objects: the client has them all.
      expect(Buffer.from(pack!.slice(0, 12)).toString('hex')).toBe(
        `${Buffer.from('PACK').toString('hex')}0000000200000000`,
      );
      const full = await forge.packObjects(repo, {
        wants: [commitSha],
        haves: [],
      });
      // 1 commit, 3 trees (root, docs, docs/guide) and 3 blobs.
      expect(Buffer.from(full.pack!.slice(8, 12)).readUInt32BE(0)).toBe(7);
    });

    it('looks up at most 4096 haves of a request, sending more rather than work without end', async () => {
      const unknown = Array.from({ length: 5000 }, (_, i) =>
        i.toString(16).padStart(40, '0'),
      );
      const capped = await forge.packObjects(repo, {
        wants: [commitSha, commitSha],
        haves: [...unknown, commitSha],
      });
      // The common commit came after the cap: a full pack, still valid.
      expect(capped.common).toEqual([]);
      expect(Buffer.from(capped.pack!.slice(8, 12)).readUInt32BE(0)).toBe(7);
      const within = await forge.packObjects(repo, {
        wants: [commitSha],
        haves: [...unknown.slice(0, 100), commitSha],
      });
      expect(within.common).toEqual([commitSha]);
    });
  });

  describe('listing and deleting', () => {
    it('lists repositories and deletes them, idempotently', async () => {
      await forge.createRepository({ owner: 'kestrel', name: 'b' });
      await forge.createRepository({ owner: 'kestrel', name: 'a' });
      await forge.createRepository({ owner: 'platform', name: 'c' });
      // Hand-made folders the forge does not own are left out.
      dir.addContent({
        'forge/kestrel/NOT VALID.git/HEAD': 'x',
        'forge/stray.txt': 'x',
      });
      expect(
        (await forge.listRepositories()).map(r => `${r.owner}/${r.name}`),
      ).toEqual(['kestrel/a', 'kestrel/b', 'platform/c']);

      await expect(
        forge.deleteRepository({ owner: 'platform', name: 'c' }),
      ).resolves.toEqual({ existed: true });
      expect(fs.existsSync(dir.resolve('forge/platform'))).toBe(false);
      expect(fs.readdirSync(dir.resolve('forge/.trash'))).toEqual([]);
      await expect(
        forge.deleteRepository({ owner: 'platform', name: 'c' }),
      ).resolves.toEqual({ existed: false });
      await expect(
        forge.getRepository({ owner: 'platform', name: 'c' }),
      ).resolves.toBeUndefined();
      await expect(
        forge.deleteRepository({ owner: '..', name: 'forge' }),
      ).rejects.toThrow(/Invalid repository owner/);
    });
  });
});
