import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Runs `fn` with a git directory and a work tree of its own, removed after. */
export async function withTempGitDir<T>(
  fn: (gitdir: string, dir: string) => Promise<T>,
): Promise<T> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-github-'));
  try {
    return await fn(path.join(tmp, 'git'), path.join(tmp, 'tree'));
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}
