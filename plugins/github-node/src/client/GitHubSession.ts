import { LoggerService } from '@backstage/backend-plugin-api';
import { GitRemote } from '../gitOps';
import { RepoOnHost } from './FreshRepositories';
import { OctokitClient } from './octokit';

/** What one operation on one repository works with: its client, credentials and names. */
export interface GitHubSession {
  octokit: OctokitClient;
  token: string;
  credentials: 'token' | 'app';
  host: string;
  /** Where the host serves its web pages and git, e.g. `https://github.com`. */
  webBaseUrl: string;
  /** The repository, with its host resolved. */
  repo: RepoOnHost;
  /** `owner/name`, as messages say it. */
  full: string;
  /** Git over HTTP to the repository, with these credentials. */
  remote: GitRemote;
  /** The service's logger with the `repository` and `host` fields. */
  logger: LoggerService;
}

/** The web (and git) base URL of a host, from its API base URL. */
export function webBaseUrlOf(
  apiBaseUrl: string | undefined,
  host: string,
): string {
  if (!apiBaseUrl || apiBaseUrl === 'https://api.github.com') {
    return host === 'github.com' ? 'https://github.com' : `https://${host}`;
  }
  // GitHub Enterprise Server serves the API at <web>/api/v3.
  const enterprise = /^(.*)\/api\/v3\/?$/.exec(apiBaseUrl);
  return enterprise ? enterprise[1] : `https://${host}`;
}
