import { InputError, NotFoundError } from '@backstage/errors';
import {
  expandCommitOid,
  listTreeFiles,
  peelTags,
  readBlob,
  readCommit,
  readHeadBranch,
  readRef,
  readTreeAt,
} from '@paved/plugin-git-node';
import {
  ForgeDirectory,
  ForgeFile,
  ForgeResolvedPath,
  ForgeTreeEntry,
} from '../LocalForge';
import {
  ForgeRepositoryRef,
  normalizeForgeRepositoryRef,
  validateForgeBranchName,
} from '../names';
import { ForgeStorage } from '../storage/ForgeStorage';

/** Options of {@link ForgeReader.create}. */
export interface ForgeReaderOptions {
  storage: ForgeStorage;
}

/**
 * The read side of the forge: a `<ref>/<path>` resolved to a commit, and the
 * files, folders and blobs at it.
 */
export class ForgeReader {
  readonly #storage: ForgeStorage;

  static create(options: ForgeReaderOptions): ForgeReader {
    return new ForgeReader(options);
  }

  private constructor(options: ForgeReaderOptions) {
    this.#storage = options.storage;
  }

  async resolvePath(
    ref: ForgeRepositoryRef,
    refAndPath: string,
  ): Promise<ForgeResolvedPath> {
    const repo = normalizeForgeRepositoryRef(ref);
    const gitdir = await this.#storage.existingGitdir(repo);
    const segments = refAndPath.split('/').filter(Boolean);
    if (segments.length === 0) {
      const head = await readHeadBranch(gitdir);
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
      const commitSha = await resolveCommitish(gitdir, candidate);
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
    const { repo, gitdir, cleanPath } = await this.#open(ref, filePath);
    const { committedAt } = await readCommit(gitdir, commitSha);
    const parent = cleanPath.includes('/')
      ? cleanPath.slice(0, cleanPath.lastIndexOf('/'))
      : '';
    const base = cleanPath.slice(parent.length ? parent.length + 1 : 0);
    const entry = base
      ? (await readTreeAt(gitdir, commitSha, parent))?.entries.find(
          e => e.path === base,
        )
      : undefined;
    if (!entry || entry.type !== 'blob') {
      throw missing('file', repo, commitSha, cleanPath);
    }
    return {
      path: cleanPath,
      oid: entry.oid,
      mode: entry.mode,
      commitSha,
      lastModifiedAt: committedAt,
      content: await readBlob(gitdir, entry.oid),
    };
  }

  async readDirectory(
    ref: ForgeRepositoryRef,
    commitSha: string,
    dirPath: string,
  ): Promise<ForgeDirectory> {
    const { repo, gitdir, cleanPath } = await this.#open(ref, dirPath);
    const tree = await readTreeAt(gitdir, commitSha, cleanPath);
    if (!tree) {
      throw missing('folder', repo, commitSha, cleanPath);
    }
    const entries: ForgeTreeEntry[] = tree.entries.map(e => ({
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
      lastModifiedAt: (await readCommit(gitdir, commitSha)).committedAt,
      entries,
    };
  }

  async listFiles(
    ref: ForgeRepositoryRef,
    commitSha: string,
    dirPath: string,
  ): Promise<{
    oid: string;
    lastModifiedAt: Date;
    files: Array<{ path: string; oid: string; mode: string }>;
  }> {
    const { repo, gitdir, cleanPath } = await this.#open(ref, dirPath);
    const top = await readTreeAt(gitdir, commitSha, cleanPath);
    if (!top) {
      throw missing('folder', repo, commitSha, cleanPath);
    }
    const files = await listTreeFiles(gitdir, top.oid);
    return {
      oid: top.oid,
      lastModifiedAt: (await readCommit(gitdir, commitSha)).committedAt,
      files,
    };
  }

  async readBlob(ref: ForgeRepositoryRef, oid: string): Promise<Buffer> {
    const repo = normalizeForgeRepositoryRef(ref);
    const gitdir = await this.#storage.existingGitdir(repo);
    return readBlob(gitdir, oid);
  }

  /** The repository, its git directory and a clean path inside it. */
  async #open(ref: ForgeRepositoryRef, repoPath: string) {
    const repo = normalizeForgeRepositoryRef(ref);
    const gitdir = await this.#storage.existingGitdir(repo);
    return { repo, gitdir, cleanPath: cleanRepoPath(repoPath) };
  }
}

/** A commit id, or a branch or tag (peeled to its commit), in that order. */
async function resolveCommitish(
  gitdir: string,
  candidate: string,
): Promise<string | undefined> {
  const commit = await expandCommitOid(gitdir, candidate);
  if (commit) return commit;
  try {
    validateForgeBranchName(candidate);
  } catch {
    return undefined;
  }
  for (const prefix of ['refs/heads/', 'refs/tags/']) {
    const oid = await readRef(gitdir, `${prefix}${candidate}`);
    if (oid) return peelTags(gitdir, oid, 5);
  }
  return undefined;
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
