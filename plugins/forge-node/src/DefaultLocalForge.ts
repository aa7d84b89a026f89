import {
  LoggerService,
  RootConfigService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ForgeUrls } from './ForgeUrls';
import { IsomorphicGitModule, loadIsomorphicGit } from './isomorphicGit';
import { encodeCommit, writeBufferObject } from './gitObjects';
import {
  compareAndSwapRef,
  readRef,
  readSymbolicRef,
  writeSymbolicRef,
} from './gitRefs';
import {
  CreateForgeRepositoryOptions,
  CreateForgeRepositoryResult,
  ForgeDirectory,
  ForgeFile,
  ForgeRefs,
  ForgeRepository,
  ForgeResolvedPath,
  ForgeTreeEntry,
  LocalForge,
  PushInitialContentOptions,
  PushInitialContentResult,
} from './LocalForge';
import {
  ForgeRepositoryRef,
  normalizeForgeOwner,
  normalizeForgeRepositoryRef,
  validateForgeBranchName,
} from './names';
import { writeWorkspaceTree } from './writeWorkspaceTree';

/** Written next to HEAD in each bare repository. */
const METADATA_FILE = 'paved-forge.json';
/** Repositories being created, then renamed into place. */
const TMP_DIR = '.tmp';
/** Repositories being deleted, renamed here first. */
const TRASH_DIR = '.trash';
const TOPIC_PATTERN = /^[a-z0-9][a-z0-9-]{0,49}$/;
const OID_PATTERN = /^[0-9a-f]{40}$/;
/**
 * The haves of one upload-pack request the forge looks up. Each costs an
 * object lookup; one past this is treated as unknown, which only makes the
 * pack larger, never wrong.
 */
const MAX_HAVES = 4096;

interface Metadata {
  description?: string;
  topics?: string[];
  visibility?: 'private' | 'internal';
  createdAt?: string;
}

/**
 * The settings of {@link DefaultLocalForge}.
 *
 * @public
 */
export interface LocalForgeOptions {
  /** Where the bare repositories live, as `<owner>/<name>.git`. */
  directory: string;
  /** The forge's public URLs. */
  urls: ForgeUrls;
  /** When set, the only owners repositories may be created under. */
  allowedOwners?: string[];
  logger: LoggerService;
}

/**
 * Reads `paved.forge` (see config.d.ts) and `backend.baseUrl`, under which
 * the forge backend serves the repositories. The directory defaults to `forge`
 * in the portal's data folder, `${PAVED_DATA_DIR:-../../data}` as in
 * app-config.yaml, resolved from the working directory.
 *
 * @public
 */
export function readLocalForgeConfig(
  config: RootConfigService,
): Omit<LocalForgeOptions, 'logger'> {
  const directory =
    config.getOptionalString('paved.forge.directory') ??
    path.join(process.env.PAVED_DATA_DIR || '../../data', 'forge');
  const allowedOwners = config
    .getOptionalStringArray('paved.forge.allowedOwners')
    ?.map((owner, i) => {
      try {
        return normalizeForgeOwner(owner);
      } catch (error) {
        throw new InputError(
          `paved.forge.allowedOwners[${i}]: ${(error as Error).message}`,
        );
      }
    });
  return {
    directory: path.resolve(directory),
    // Every real backend sets backend.baseUrl; tests of other plugins may not.
    urls: ForgeUrls.forBackend(
      config.getOptionalString('backend.baseUrl') ?? 'http://localhost:7007',
    ),
    allowedOwners,
  };
}

/**
 * The local forge on disk: bare repositories written with Node's own zlib
 * and crypto, read with isomorphic-git, so nothing but Node is needed (no git
 * binary on the machine or in the image).
 *
 * @public
 */
export class DefaultLocalForge implements LocalForge {
  readonly urls: ForgeUrls;
  private readonly root: string;
  private readonly allowedOwners?: Set<string>;
  private readonly logger: LoggerService;
  private readonly locks = new Map<string, Promise<unknown>>();

  static fromConfig(
    config: RootConfigService,
    options: { logger: LoggerService },
  ): DefaultLocalForge {
    return DefaultLocalForge.create({
      ...readLocalForgeConfig(config),
      logger: options.logger,
    });
  }

  static create(options: LocalForgeOptions): DefaultLocalForge {
    return new DefaultLocalForge(options);
  }

  private constructor(options: LocalForgeOptions) {
    this.root = path.resolve(options.directory);
    this.urls = options.urls;
    this.allowedOwners = options.allowedOwners
      ? new Set(options.allowedOwners.map(normalizeForgeOwner))
      : undefined;
    this.logger = options.logger;
  }

  /** The folder that holds the repositories. */
  get directory(): string {
    return this.root;
  }

  async createRepository(
    options: CreateForgeRepositoryOptions,
  ): Promise<CreateForgeRepositoryResult> {
    const repo = normalizeForgeRepositoryRef(options);
    if (this.allowedOwners && !this.allowedOwners.has(repo.owner)) {
      throw new NotAllowedError(
        `Owner "${
          repo.owner
        }" is not allowed on the local forge; paved.forge.allowedOwners lists ${[
          ...this.allowedOwners,
        ].join(', ')}`,
      );
    }
    const defaultBranch = validateForgeBranchName(
      options.defaultBranch ?? 'main',
    );
    const metadata = validateMetadata(options);

    return this.exclusive(repo, async () => {
      const gitdir = this.gitdirOf(repo);
      if (!(await isDirectory(gitdir))) {
        const created = await this.initRepository(
          repo,
          gitdir,
          defaultBranch,
          metadata,
        );
        if (created) {
          this.logger.info(
            `Created ${repo.owner}/${repo.name} on the local forge`,
            { owner: repo.owner, name: repo.name, gitdir },
          );
          return this.createResult(repo, true, defaultBranch);
        }
      }
      // Adopt: the requested settings win; HEAD only moves while it is empty.
      const previous = await this.readMetadata(gitdir);
      await this.writeMetadata(gitdir, {
        ...previous,
        ...metadata,
        createdAt: previous.createdAt ?? new Date().toISOString(),
      });
      let head = await this.headBranch(gitdir);
      if ((await this.branchNames(gitdir)).length === 0) {
        await writeSymbolicRef(gitdir, 'HEAD', `refs/heads/${defaultBranch}`);
        head = defaultBranch;
      }
      this.logger.info(
        `Adopted ${repo.owner}/${repo.name}, which already exists on the local forge`,
        { owner: repo.owner, name: repo.name },
      );
      return this.createResult(repo, false, head ?? defaultBranch);
    });
  }

  async pushInitialContent(
    options: PushInitialContentOptions,
  ): Promise<PushInitialContentResult> {
    const repo = normalizeForgeRepositoryRef(options);
    const branch = validateForgeBranchName(options.branch);
    const author = validateAuthor(
      options.author ?? {
        name: 'Scaffolder',
        email: 'scaffolder@backstage.io',
      },
    );
    const message = options.message?.trim() || 'initial commit';
    if (!(await isDirectory(options.sourceDir))) {
      throw new InputError(
        `sourceDir ${options.sourceDir} is not a directory; expected the folder to publish`,
      );
    }

    return this.exclusive(repo, async () => {
      const gitdir = await this.existingGitdir(repo);
      const { tree, files } = await writeWorkspaceTree(
        gitdir,
        options.sourceDir,
      );
      const ref = `refs/heads/${branch}`;
      const current = await readRef(gitdir, ref);
      if (current) return this.sameTreeOrConflict(repo, branch, current, tree);

      const now = Math.floor(Date.now() / 1000);
      const signature = { ...author, timestamp: now };
      const commitSha = await writeBufferObject(
        gitdir,
        'commit',
        encodeCommit({
          tree,
          author: signature,
          committer: signature,
          message,
        }),
      );
      // Every object is on disk before the branch points at them.
      const swap = await compareAndSwapRef(gitdir, ref, {
        expected: undefined,
        value: commitSha,
      });
      if (!swap.updated) {
        return this.sameTreeOrConflict(repo, branch, swap.previous!, tree);
      }
      const head = await this.headBranch(gitdir);
      if (!head || !(await readRef(gitdir, `refs/heads/${head}`))) {
        await writeSymbolicRef(gitdir, 'HEAD', ref);
      }
      this.logger.info(
        `Pushed ${files} files to ${repo.owner}/${repo.name} ${branch} on the local forge`,
        { owner: repo.owner, name: repo.name, branch, commitSha },
      );
      return { commitSha, pushed: true };
    });
  }

  async deleteRepository(
    ref: ForgeRepositoryRef,
  ): Promise<{ existed: boolean }> {
    const repo = normalizeForgeRepositoryRef(ref);
    return this.exclusive(repo, async () => {
      const gitdir = this.gitdirOf(repo);
      await this.emptyTrash();
      if (!(await isDirectory(gitdir))) return { existed: false };
      const trash = resolveSafeChildPath(
        this.root,
        `${TRASH_DIR}/${repo.owner}--${repo.name}--${randomBytes(6).toString(
          'hex',
        )}`,
      );
      await fs.promises.mkdir(path.dirname(trash), { recursive: true });
      // One rename takes the repository away; the removal after it may be slow.
      await fs.promises.rename(gitdir, trash);
      await fs.promises.rm(trash, { recursive: true, force: true });
      await fs.promises.rmdir(path.dirname(gitdir)).catch(() => {});
      this.logger.info(
        `Deleted ${repo.owner}/${repo.name} from the local forge`,
        { owner: repo.owner, name: repo.name },
      );
      return { existed: true };
    });
  }

  async getRepository(
    ref: ForgeRepositoryRef,
  ): Promise<ForgeRepository | undefined> {
    const repo = normalizeForgeRepositoryRef(ref);
    const gitdir = this.gitdirOf(repo);
    if (!(await isDirectory(gitdir))) return undefined;
    const metadata = await this.readMetadata(gitdir);
    const branches = await this.branchNames(gitdir);
    return {
      ...repo,
      description: metadata.description,
      topics: metadata.topics ?? [],
      visibility: metadata.visibility ?? 'private',
      defaultBranch: (await this.headBranch(gitdir)) ?? 'main',
      createdAt: metadata.createdAt,
      htmlUrl: this.urls.repository(repo),
      cloneUrl: this.urls.clone(repo),
      empty: branches.length === 0,
    };
  }

  async listRepositories(): Promise<ForgeRepository[]> {
    const result: ForgeRepository[] = [];
    for (const owner of await readdirSafe(this.root)) {
      if (owner.startsWith('.')) continue;
      for (const entry of await readdirSafe(path.join(this.root, owner))) {
        if (!entry.endsWith('.git')) continue;
        try {
          const repo = await this.getRepository({
            owner,
            name: entry.slice(0, -'.git'.length),
          });
          if (repo) result.push(repo);
        } catch (error) {
          // A folder someone put here by hand with a name the forge refuses.
          if ((error as Error).name !== 'InputError') throw error;
        }
      }
    }
    return result.sort((a, b) =>
      `${a.owner}/${a.name}`.localeCompare(`${b.owner}/${b.name}`),
    );
  }

  async resolvePath(
    ref: ForgeRepositoryRef,
    refAndPath: string,
  ): Promise<ForgeResolvedPath> {
    const repo = normalizeForgeRepositoryRef(ref);
    const gitdir = await this.existingGitdir(repo);
    const segments = refAndPath.split('/').filter(Boolean);
    if (segments.length === 0) {
      const head = await this.headBranch(gitdir);
      const oid = head && (await readRef(gitdir, `refs/heads/${head}`));
      if (!head || !oid) {
        throw new NotFoundError(
          `${repo.owner}/${repo.name} on the local forge is empty`,
        );
      }
      return { ref: head, commitSha: oid, path: '' };
    }
    for (let i = 1; i <= segments.length; i++) {
      const candidate = segments.slice(0, i).join('/');
      const commitSha = await this.resolveCommitish(gitdir, candidate);
      if (commitSha) {
        return {
          ref: candidate,
          commitSha,
          path: segments.slice(i).join('/'),
        };
      }
    }
    throw new NotFoundError(
      `No branch, tag or commit of ${repo.owner}/${
        repo.name
      } on the local forge starts ${JSON.stringify(refAndPath)}`,
    );
  }

  async readFile(
    ref: ForgeRepositoryRef,
    commitSha: string,
    filePath: string,
  ): Promise<ForgeFile> {
    const repo = normalizeForgeRepositoryRef(ref);
    const gitdir = await this.existingGitdir(repo);
    const git = await this.loadGit();
    const cleanPath = cleanRepoPath(filePath);
    const lastModifiedAt = await this.commitDate(gitdir, commitSha);
    const parent = cleanPath.includes('/')
      ? cleanPath.slice(0, cleanPath.lastIndexOf('/'))
      : '';
    const base = cleanPath.slice(parent.length ? parent.length + 1 : 0);
    const entry = base
      ? (await this.treeAt(gitdir, commitSha, parent))?.tree.find(
          e => e.path === base,
        )
      : undefined;
    if (!entry || entry.type !== 'blob') {
      throw missing('file', repo, commitSha, cleanPath);
    }
    const { blob } = await git.readBlob({ fs, gitdir, oid: entry.oid });
    return {
      path: cleanPath,
      oid: entry.oid,
      mode: entry.mode,
      commitSha,
      lastModifiedAt,
      content: Buffer.from(blob),
    };
  }

  async readDirectory(
    ref: ForgeRepositoryRef,
    commitSha: string,
    dirPath: string,
  ): Promise<ForgeDirectory> {
    const repo = normalizeForgeRepositoryRef(ref);
    const gitdir = await this.existingGitdir(repo);
    const cleanPath = cleanRepoPath(dirPath);
    const tree = await this.treeAt(gitdir, commitSha, cleanPath);
    if (!tree) {
      throw missing('folder', repo, commitSha, cleanPath);
    }
    const entries: ForgeTreeEntry[] = tree.tree.map(e => ({
      name: e.path,
      path: cleanPath ? `${cleanPath}/${e.path}` : e.path,
      type: e.type,
      mode: e.mode,
      oid: e.oid,
    }));
    // Folders first, then files, each by name.
    const rank = (e: ForgeTreeEntry) => (e.type === 'tree' ? 0 : 1);
    entries.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
    return {
      path: cleanPath,
      oid: tree.oid,
      commitSha,
      lastModifiedAt: await this.commitDate(gitdir, commitSha),
      entries,
    };
  }

  async listFiles(ref: ForgeRepositoryRef, commitSha: string, dirPath: string) {
    const repo = normalizeForgeRepositoryRef(ref);
    const gitdir = await this.existingGitdir(repo);
    const git = await this.loadGit();
    const cleanPath = cleanRepoPath(dirPath);
    const top = await this.treeAt(gitdir, commitSha, cleanPath);
    if (!top) {
      throw missing('folder', repo, commitSha, cleanPath);
    }
    const files: Array<{ path: string; oid: string; mode: string }> = [];
    const walk = async (oid: string, prefix: string) => {
      const { tree } = await git.readTree({ fs, gitdir, oid });
      for (const entry of tree) {
        const entryPath = prefix ? `${prefix}/${entry.path}` : entry.path;
        if (entry.type === 'tree') await walk(entry.oid, entryPath);
        else if (entry.type === 'blob') {
          files.push({ path: entryPath, oid: entry.oid, mode: entry.mode });
        }
      }
    };
    await walk(top.oid, '');
    return {
      oid: top.oid,
      lastModifiedAt: await this.commitDate(gitdir, commitSha),
      files,
    };
  }

  async readBlob(ref: ForgeRepositoryRef, oid: string): Promise<Buffer> {
    const repo = normalizeForgeRepositoryRef(ref);
    const gitdir = await this.existingGitdir(repo);
    const git = await this.loadGit();
    const { blob } = await git.readBlob({ fs, gitdir, oid });
    return Buffer.from(blob);
  }

  async listRefs(ref: ForgeRepositoryRef): Promise<ForgeRefs> {
    const repo = normalizeForgeRepositoryRef(ref);
    const gitdir = await this.existingGitdir(repo);
    const git = await this.loadGit();
    const refs: ForgeRefs['refs'] = [];
    for (const prefix of ['refs/heads', 'refs/tags']) {
      const names = await git.listRefs({ fs, gitdir, filepath: prefix });
      for (const name of names.filter(isRefName).sort()) {
        const full = `${prefix}/${name}`;
        const oid = await readRef(gitdir, full);
        if (!oid) continue;
        let peeled: string | undefined;
        if (prefix === 'refs/tags') {
          const object = await git.readObject({ fs, gitdir, oid });
          if (object.type === 'tag') {
            const { tag } = await git.readTag({ fs, gitdir, oid });
            peeled = tag.object;
          }
        }
        refs.push({ name: full, oid, peeled });
      }
    }
    const target = await readSymbolicRef(gitdir, 'HEAD');
    const headOid = target && refs.find(r => r.name === target)?.oid;
    return {
      head: target && headOid ? { target, oid: headOid } : undefined,
      refs,
    };
  }

  async packObjects(
    ref: ForgeRepositoryRef,
    options: { wants: string[]; haves: string[]; pack?: boolean },
  ): Promise<{ common: string[]; pack?: Uint8Array }> {
    const repo = normalizeForgeRepositoryRef(ref);
    const gitdir = await this.existingGitdir(repo);
    const git = await this.loadGit();
    const { refs } = await this.listRefs(repo);
    const tips = new Set(refs.flatMap(r => [r.oid, r.peeled ?? r.oid]));
    const wants = [...new Set(options.wants)];
    for (const want of wants) {
      if (!tips.has(want)) {
        throw new InputError(`not our ref ${want}`);
      }
    }
    const common: string[] = [];
    for (const have of [...new Set(options.haves)].slice(0, MAX_HAVES)) {
      if (OID_PATTERN.test(have) && (await this.hasObject(gitdir, have))) {
        common.push(have);
      }
    }
    if (options.pack === false) return { common };
    const excluded = await this.reachable(gitdir, common, new Set());
    const included = await this.reachable(gitdir, wants, excluded);
    const { packfile } = await git.packObjects({
      fs,
      gitdir,
      oids: [...included],
    });
    return { common, pack: packfile! };
  }

  // --- internals ---

  private async loadGit(): Promise<IsomorphicGitModule> {
    return loadIsomorphicGit();
  }

  /** Serializes writes to one repository within this process. */
  private async exclusive<T>(
    repo: ForgeRepositoryRef,
    fn: () => Promise<T>,
  ): Promise<T> {
    const key = `${repo.owner}/${repo.name}`;
    const previous = this.locks.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const settled = run.catch(() => {});
    this.locks.set(key, settled);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    }
  }

  private gitdirOf(repo: ForgeRepositoryRef): string {
    return resolveSafeChildPath(this.root, `${repo.owner}/${repo.name}.git`);
  }

  private async existingGitdir(repo: ForgeRepositoryRef): Promise<string> {
    const gitdir = this.gitdirOf(repo);
    if (!(await isDirectory(gitdir))) {
      throw new NotFoundError(
        `Repository ${repo.owner}/${repo.name} does not exist on the local forge`,
      );
    }
    return gitdir;
  }

  /**
   * Builds the repository in a private folder and renames it into place, so
   * a crash leaves no half-initialised repository under its real name.
   * Returns false when another writer created it first.
   */
  private async initRepository(
    repo: ForgeRepositoryRef,
    gitdir: string,
    defaultBranch: string,
    metadata: Metadata,
  ): Promise<boolean> {
    const tmpRoot = path.join(this.root, TMP_DIR);
    await fs.promises.mkdir(tmpRoot, { recursive: true });
    await removeOlderThan(tmpRoot, 60 * 60 * 1000);
    const tmp = await fs.promises.mkdtemp(
      path.join(tmpRoot, `${repo.owner}--${repo.name}--`),
    );
    try {
      for (const dir of [
        'objects/info',
        'objects/pack',
        'refs/heads',
        'refs/tags',
        'info',
      ]) {
        await fs.promises.mkdir(path.join(tmp, dir), { recursive: true });
      }
      await fs.promises.writeFile(
        path.join(tmp, 'HEAD'),
        `ref: refs/heads/${defaultBranch}\n`,
      );
      await fs.promises.writeFile(
        path.join(tmp, 'config'),
        '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = true\n',
      );
      await fs.promises.writeFile(
        path.join(tmp, 'description'),
        `${
          (metadata.description ?? '').replace(/\s+/g, ' ').trim() ||
          `${repo.owner}/${repo.name}`
        }\n`,
      );
      await this.writeMetadata(tmp, {
        ...metadata,
        createdAt: new Date().toISOString(),
      });
      await fs.promises.mkdir(path.dirname(gitdir), { recursive: true });
      try {
        await fs.promises.rename(tmp, gitdir);
        return true;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
        throw error;
      }
    } finally {
      await fs.promises.rm(tmp, { recursive: true, force: true });
    }
  }

  private createResult(
    repo: ForgeRepositoryRef,
    created: boolean,
    defaultBranch: string,
  ): CreateForgeRepositoryResult {
    return {
      created,
      adopted: !created,
      owner: repo.owner,
      name: repo.name,
      htmlUrl: this.urls.repository(repo),
      cloneUrl: this.urls.clone(repo),
      defaultBranch,
    };
  }

  private async sameTreeOrConflict(
    repo: ForgeRepositoryRef,
    branch: string,
    current: string,
    tree: string,
  ): Promise<PushInitialContentResult> {
    const git = await this.loadGit();
    const gitdir = this.gitdirOf(repo);
    const { commit } = await git.readCommit({ fs, gitdir, oid: current });
    if (commit.tree === tree) return { commitSha: current, pushed: false };
    throw new ConflictError(
      `Repository ${repo.owner}/${
        repo.name
      } on the local forge already holds other content on branch ${branch} (commit ${current.slice(
        0,
        7,
      )}); publish under another name, or delete ${repo.owner}/${
        repo.name
      } first`,
    );
  }

  private async readMetadata(gitdir: string): Promise<Metadata> {
    try {
      return JSON.parse(
        await fs.promises.readFile(path.join(gitdir, METADATA_FILE), 'utf8'),
      );
    } catch (error) {
      // Repositories made with `git init --bare` have none.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
  }

  private async writeMetadata(gitdir: string, metadata: Metadata) {
    const file = path.join(gitdir, METADATA_FILE);
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await fs.promises.writeFile(tmp, `${JSON.stringify(metadata, null, 2)}\n`);
    await fs.promises.rename(tmp, file);
  }

  private async headBranch(gitdir: string): Promise<string | undefined> {
    const target = await readSymbolicRef(gitdir, 'HEAD');
    return target?.startsWith('refs/heads/')
      ? target.slice('refs/heads/'.length)
      : undefined;
  }

  private async branchNames(gitdir: string): Promise<string[]> {
    const git = await this.loadGit();
    const names = await git.listRefs({ fs, gitdir, filepath: 'refs/heads' });
    return names.filter(isRefName);
  }

  private async resolveCommitish(
    gitdir: string,
    candidate: string,
  ): Promise<string | undefined> {
    const git = await this.loadGit();
    if (/^[0-9a-f]{4,40}$/.test(candidate)) {
      try {
        const oid = await git.expandOid({ fs, gitdir, oid: candidate });
        const { type } = await git.readObject({ fs, gitdir, oid });
        if (type === 'commit') return oid;
      } catch {
        // Not an object here; it may still be a branch named like one.
      }
    }
    try {
      validateForgeBranchName(candidate);
    } catch {
      return undefined;
    }
    for (const prefix of ['refs/heads/', 'refs/tags/']) {
      let oid = await readRef(gitdir, `${prefix}${candidate}`);
      if (!oid) continue;
      for (let depth = 0; depth < 5; depth++) {
        const object = await git.readObject({ fs, gitdir, oid });
        if (object.type !== 'tag') break;
        oid = (await git.readTag({ fs, gitdir, oid })).tag.object;
      }
      return oid;
    }
    return undefined;
  }

  private async treeAt(gitdir: string, commitSha: string, dirPath: string) {
    const git = await this.loadGit();
    try {
      return await git.readTree({
        fs,
        gitdir,
        oid: commitSha,
        filepath: dirPath || undefined,
      });
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'NotFoundError' || name === 'ObjectTypeError') {
        return undefined;
      }
      throw error;
    }
  }

  private async commitDate(gitdir: string, commitSha: string): Promise<Date> {
    const git = await this.loadGit();
    const { commit } = await git.readCommit({ fs, gitdir, oid: commitSha });
    return new Date(commit.committer.timestamp * 1000);
  }

  private async hasObject(gitdir: string, oid: string): Promise<boolean> {
    const git = await this.loadGit();
    try {
      await git.readObject({ fs, gitdir, oid, format: 'deflated' });
      return true;
    } catch {
      return false;
    }
  }

  /** Every object reachable from `starts`, stopping at `stop`. */
  private async reachable(
    gitdir: string,
    starts: string[],
    stop: Set<string>,
  ): Promise<Set<string>> {
    const git = await this.loadGit();
    const seen = new Set<string>();
    const pending: Array<{ oid: string; type?: string }> = starts.map(oid => ({
      oid,
    }));
    while (pending.length > 0) {
      const { oid, type: knownType } = pending.pop()!;
      if (seen.has(oid) || stop.has(oid)) continue;
      seen.add(oid);
      if (knownType === 'blob') continue;
      const type =
        knownType ?? (await git.readObject({ fs, gitdir, oid })).type;
      if (type === 'commit') {
        const { commit } = await git.readCommit({ fs, gitdir, oid });
        pending.push({ oid: commit.tree, type: 'tree' });
        for (const parent of commit.parent) pending.push({ oid: parent });
      } else if (type === 'tree') {
        const { tree } = await git.readTree({ fs, gitdir, oid });
        for (const entry of tree) {
          // Submodule entries (commit) point outside this repository.
          if (entry.type !== 'commit') {
            pending.push({ oid: entry.oid, type: entry.type });
          }
        }
      } else if (type === 'tag') {
        const { tag } = await git.readTag({ fs, gitdir, oid });
        pending.push({ oid: tag.object });
      }
    }
    return seen;
  }

  private async emptyTrash() {
    const trash = path.join(this.root, TRASH_DIR);
    for (const entry of await readdirSafe(trash)) {
      await fs.promises.rm(path.join(trash, entry), {
        recursive: true,
        force: true,
      });
    }
  }
}

function validateMetadata(options: CreateForgeRepositoryOptions): Metadata {
  const visibility = options.visibility ?? 'private';
  if (visibility !== 'private' && visibility !== 'internal') {
    throw new InputError(
      `Invalid visibility ${JSON.stringify(
        visibility,
      )}: expected 'private' or 'internal'`,
    );
  }
  const topics = options.topics ?? [];
  if (topics.length > 20) {
    throw new InputError(
      `Too many topics (${topics.length}): at most 20 are allowed`,
    );
  }
  for (const topic of topics) {
    if (!TOPIC_PATTERN.test(topic)) {
      throw new InputError(
        `Invalid topic ${JSON.stringify(
          topic,
        )}: expected lowercase letters, digits and hyphens, starting with a letter or digit, at most 50 characters`,
      );
    }
  }
  const description = options.description?.trim();
  if (description && description.length > 350) {
    throw new InputError(
      `Description too long (${description.length} characters): at most 350 are allowed`,
    );
  }
  return {
    description: description || undefined,
    topics: [...new Set(topics)],
    visibility,
  };
}

function validateAuthor(author: { name: string; email: string }) {
  for (const [field, value] of Object.entries({
    'author.name': author.name,
    'author.email': author.email,
  })) {
    if (typeof value !== 'string' || !value.trim() || /[<>\n\r]/.test(value)) {
      throw new InputError(
        `Invalid ${field} ${JSON.stringify(
          value,
        )}: expected a non-empty line without '<' or '>'`,
      );
    }
  }
  return { name: author.name.trim(), email: author.email.trim() };
}

function missing(
  kind: 'file' | 'folder',
  repo: ForgeRepositoryRef,
  commitSha: string,
  filePath: string,
): NotFoundError {
  return new NotFoundError(
    `No ${kind} ${filePath || '/'} at ${commitSha.slice(0, 7)} of ${
      repo.owner
    }/${repo.name} on the local forge`,
  );
}

/** Lock files of a writer in progress (or crashed) are not refs. */
function isRefName(name: string): boolean {
  return !name.endsWith('.lock');
}

/** A repository path without leading or trailing slashes; '..' is refused. */
function cleanRepoPath(value: string): string {
  const parts = value.split('/').filter(p => p !== '' && p !== '.');
  if (parts.includes('..')) {
    throw new InputError(
      `Invalid path ${JSON.stringify(value)}: '..' is not allowed`,
    );
  }
  return parts.join('/');
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await fs.promises.stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

async function readdirSafe(dir: string): Promise<string[]> {
  try {
    return await fs.promises.readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
}

async function removeOlderThan(dir: string, ageMs: number) {
  for (const entry of await readdirSafe(dir)) {
    const file = path.join(dir, entry);
    const stat = await fs.promises.stat(file).catch(() => undefined);
    if (stat && Date.now() - stat.mtimeMs > ageMs) {
      await fs.promises.rm(file, { recursive: true, force: true });
    }
  }
}
