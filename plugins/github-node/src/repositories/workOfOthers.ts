import { GitHubClient } from '../client/GitHubClient';
import { GitHubSession } from '../client/GitHubSession';
import { listRemoteBranches } from '../gitOps';

const COMMITS_READ = 20;

/** The default branch's commits by anyone but Paved's authors, in words. */
async function foreignCommits(
  client: GitHubClient,
  s: GitHubSession,
  branch: string,
  action: string,
): Promise<string | undefined> {
  // paved:publish's default author (upstream's) and this service's.
  const ours = new Set(
    [client.settings.author.email, 'scaffolder@backstage.io'].map(e =>
      e.toLowerCase(),
    ),
  );
  let commits: any[];
  try {
    commits = (
      await s.octokit.rest.repos.listCommits({
        owner: s.repo.owner,
        repo: s.repo.name,
        sha: branch,
        per_page: COMMITS_READ,
      })
    ).data;
  } catch (error) {
    throw client.fail(error, action, s);
  }
  const foreign = commits.filter(
    c =>
      !ours.has(String(c.commit?.author?.email).toLowerCase()) ||
      !ours.has(String(c.commit?.committer?.email).toLowerCase()),
  );
  if (commits.length >= COMMITS_READ) {
    return `${COMMITS_READ} or more commits on ${branch}`;
  }
  if (foreign.length === 0) return undefined;
  const newest = foreign[0];
  return `${foreign.length} commit${
    foreign.length > 1 ? 's' : ''
  } on ${branch} by others, the newest ${String(newest.sha).slice(0, 7)} by ${
    newest.commit?.author?.name
  }`;
}

/**
 * What a repository holds beyond what Paved put there, in words: another
 * branch, open issues or pull requests, commits by anyone but Paved's
 * authors (the first commit's and CODEOWNERS'). Empty when it holds only
 * Paved's work.
 */
export async function workOfOthers(
  client: GitHubClient,
  s: GitHubSession,
  data: any,
  action: string,
): Promise<string[]> {
  const work: string[] = [];
  if ((data.open_issues_count ?? 0) > 0) {
    work.push(`${data.open_issues_count} open issues or pull requests`);
  }
  const { branches } = await client.gitOnRepo(s, action, () =>
    listRemoteBranches(s.remote),
  );
  const others = [...branches.keys()].filter(b => b !== data.default_branch);
  if (others.length > 0) work.push(`branches ${others.join(', ')}`);
  if (!branches.has(data.default_branch)) return work;
  const commits = await foreignCommits(client, s, data.default_branch, action);
  if (commits) work.push(commits);
  return work;
}
