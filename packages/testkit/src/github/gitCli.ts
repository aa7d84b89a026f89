/**
 * The `git` command line on the bare repositories the test server keeps on
 * disk: what the API endpoints read (trees, files, branches) and write
 * (commits made through the contents API, seeded content).
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const AUTHOR = {
  GIT_AUTHOR_NAME: 'GitHub',
  GIT_AUTHOR_EMAIL: 'noreply@github.com',
  GIT_COMMITTER_NAME: 'GitHub',
  GIT_COMMITTER_EMAIL: 'noreply@github.com',
};

/** Runs git in a bare repository; resolves with stdout. */
export function git(
  gitDir: string,
  args: string[],
  options: { input?: Buffer | string; env?: Record<string, string> } = {},
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['--git-dir', gitDir, ...args], {
      env: { ...process.env, ...AUTHOR, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', d => out.push(d));
    child.stderr.on('data', d => err.push(d));
    child.on('error', reject);
    child.on('close', code => {
      if (code === 0) {
        resolve(Buffer.concat(out));
      } else {
        const error = new Error(
          `git ${args.join(' ')} failed (${code}): ${Buffer.concat(err)}`,
        );
        reject(Object.assign(error, { exitCode: code }));
      }
    });
    child.stdin.end(options.input);
  });
}

/** Creates a bare repository whose HEAD names `defaultBranch`. */
export async function initBare(
  gitDir: string,
  defaultBranch: string,
): Promise<void> {
  await fs.mkdir(path.dirname(gitDir), { recursive: true });
  await new Promise<void>((resolve, reject) =>
    execFile(
      'git',
      [
        'init',
        '--quiet',
        '--bare',
        `--initial-branch=${defaultBranch}`,
        gitDir,
      ],
      error => (error ? reject(error) : resolve()),
    ),
  );
  // Pushes over smart HTTP need it even with REMOTE_USER set by some setups.
  await git(gitDir, ['config', 'http.receivepack', 'true']);
}

/** Makes `branch` the repository's default: its state and the bare repository's HEAD. */
export async function setDefaultBranch(
  repo: { gitDir: string; defaultBranch: string },
  branch: string,
): Promise<void> {
  repo.defaultBranch = branch;
  await git(repo.gitDir, ['symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
}

/** The object a ref or revision names, or undefined. */
export async function revParse(
  gitDir: string,
  rev: string,
): Promise<string | undefined> {
  try {
    const out = await git(gitDir, ['rev-parse', '--verify', '--quiet', rev]);
    return out.toString('utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Branch name to commit sha. */
export async function listBranches(
  gitDir: string,
): Promise<Map<string, string>> {
  const out = await git(gitDir, [
    'for-each-ref',
    '--format=%(refname:strip=2) %(objectname)',
    'refs/heads',
  ]);
  const branches = new Map<string, string>();
  for (const line of out.toString('utf8').split('\n')) {
    const [name, sha] = line.split(' ');
    if (name && sha) branches.set(name, sha);
  }
  return branches;
}

/** The content of a file at a revision, or undefined. */
export async function readBlob(
  gitDir: string,
  rev: string,
  filePath: string,
): Promise<{ sha: string; content: Buffer } | undefined> {
  const sha = await revParse(gitDir, `${rev}:${filePath}`);
  if (!sha) return undefined;
  const type = (await git(gitDir, ['cat-file', '-t', sha])).toString().trim();
  if (type !== 'blob') return undefined;
  return { sha, content: await git(gitDir, ['cat-file', 'blob', sha]) };
}

/** The files of a tree, recursively, as path to content. */
export async function readTreeFiles(
  gitDir: string,
  rev: string,
): Promise<Record<string, string>> {
  const out = await git(gitDir, ['ls-tree', '-r', '-z', rev]);
  const files: Record<string, string> = {};
  for (const entry of out.toString('utf8').split('\0')) {
    if (!entry) continue;
    const [meta, name] = entry.split('\t');
    const sha = meta.split(' ')[2];
    files[name] = (await git(gitDir, ['cat-file', 'blob', sha])).toString(
      'utf8',
    );
  }
  return files;
}

/** Writes files (or with null, removes them) into the index at `env`. */
async function stageFiles(
  gitDir: string,
  files: Record<string, string | Buffer | null>,
  env: Record<string, string>,
) {
  for (const [file, content] of Object.entries(files)) {
    if (content === null) {
      await git(gitDir, ['update-index', '--force-remove', '--', file], {
        env,
      });
      continue;
    }
    const blob = (
      await git(gitDir, ['hash-object', '-w', '--stdin'], { input: content })
    )
      .toString()
      .trim();
    await git(
      gitDir,
      ['update-index', '--add', '--cacheinfo', `100644,${blob},${file}`],
      { env },
    );
  }
}

type Person = { name: string; email: string };

/** The git environment naming a commit's author and committer. */
function peopleEnv(author?: Person, committer?: Person) {
  return {
    ...(author
      ? { GIT_AUTHOR_NAME: author.name, GIT_AUTHOR_EMAIL: author.email }
      : {}),
    ...(committer
      ? {
          GIT_COMMITTER_NAME: committer.name,
          GIT_COMMITTER_EMAIL: committer.email,
        }
      : {}),
  };
}

/**
 * Commits files (path to content, or null to delete) on top of a branch
 * (created from `parent` when given) and moves the branch there.
 *
 * @returns the new commit
 */
export async function commitFiles(
  gitDir: string,
  options: {
    branch: string;
    files: Record<string, string | Buffer | null>;
    message: string;
    parent?: string;
    /** Default GitHub <noreply@github.com>. */
    author?: { name: string; email: string };
    /** Default the author. */
    committer?: { name: string; email: string };
  },
): Promise<{ commit: string; tree: string }> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'gh-test-index-'));
  const env = { GIT_INDEX_FILE: path.join(tmp, 'index') };
  try {
    const current = await revParse(gitDir, `refs/heads/${options.branch}`);
    const parent = options.parent ?? current;
    if (parent) {
      await git(gitDir, ['read-tree', parent], { env });
    }
    await stageFiles(gitDir, options.files, env);
    const tree = (await git(gitDir, ['write-tree'], { env })).toString().trim();
    const author = options.author;
    const committer = options.committer ?? author;
    const commit = (
      await git(
        gitDir,
        [
          'commit-tree',
          tree,
          ...(parent ? ['-p', parent] : []),
          '-m',
          options.message,
        ],
        {
          env: peopleEnv(author, committer),
        },
      )
    )
      .toString()
      .trim();
    await git(gitDir, [
      'update-ref',
      `refs/heads/${options.branch}`,
      commit,
      current ?? '0'.repeat(40),
    ]);
    return { commit, tree };
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}
