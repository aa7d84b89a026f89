import path from 'node:path';
import { InputError } from '@backstage/errors';
import { OpenPullRequestOptions } from '../GitHubRepoService';
import { readFileAt } from '../gitOps';
import { assertBranchName, assertRepositoryName } from '../names';

/** Checks a pull request's names, title and file paths before anything is fetched. */
export function checkPullRequest(request: OpenPullRequestOptions) {
  assertRepositoryName(request.name);
  assertBranchName(request.branch);
  if (request.base !== undefined) assertBranchName(request.base, 'base');
  if (!request.title?.trim()) {
    throw new InputError('title: the pull request needs a title');
  }
  const files = Object.keys(request.files);
  if (files.length === 0) throw new InputError('files: no file changes given');
  for (const file of files) {
    const normal = path.posix.normalize(file);
    if (
      !file ||
      normal !== file ||
      file.startsWith('/') ||
      normal.startsWith('..') ||
      file.startsWith('.git/')
    ) {
      throw new InputError(
        `files: "${file}" is not a relative path inside the repository`,
      );
    }
  }
}

/** Whether a commit holds the changes already: each file as given, or gone when null. */
export async function holdsChanges(
  gitdir: string,
  commit: string,
  files: OpenPullRequestOptions['files'],
): Promise<boolean> {
  for (const [file, wanted] of Object.entries(files)) {
    const have = await readFileAt(gitdir, commit, file);
    if (
      wanted === null ? have !== undefined : !have?.equals(Buffer.from(wanted))
    ) {
      return false;
    }
  }
  return true;
}
