import { execFileSync, spawnSync } from 'node:child_process';
import os from 'node:os';

/** Whether the git CLI is installed (nothing but the tests needs it). */
export const hasGit = spawnSync('git', ['--version']).status === 0;

/** Checks against the real git where it is installed. */
export const describeWithGit = hasGit ? describe : describe.skip;

/** Runs git without the machine's or the user's configuration. */
export function git(args: string[], cwd?: string): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: os.tmpdir() },
  });
}
