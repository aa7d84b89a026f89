import { NotFoundError } from '@backstage/errors';
import { hasStatus } from '../errors';
import { GitHubClient } from './GitHubClient';
import { GitHubSession } from './GitHubSession';

/**
 * Who is who on GitHub, cached for the service's life: the login behind a
 * token, the ids of teams and users (environment reviewers name them by id).
 */
export class GitHubDirectory {
  readonly #client: GitHubClient;
  readonly #logins = new Map<string, string>();
  readonly #teamIds = new Map<string, number>();
  readonly #userIds = new Map<string, number>();

  constructor(options: { client: GitHubClient }) {
    this.#client = options.client;
  }

  /** The login of the session's credentials. */
  async login(s: GitHubSession): Promise<string> {
    const cached = this.#logins.get(s.token);
    if (cached) return cached;
    const { data } = await s.octokit.rest.users.getAuthenticated();
    this.#logins.set(s.token, data.login);
    return data.login;
  }

  /** Keeps the ids of teams a listing named. */
  rememberTeams(
    s: GitHubSession,
    org: string,
    teams: Array<{ slug: string; id: number }>,
  ) {
    for (const t of teams) {
      this.#teamIds.set(`${s.host}/${org}/${t.slug}`.toLowerCase(), t.id);
    }
  }

  async teamId(s: GitHubSession, org: string, slug: string): Promise<number> {
    const key = `${s.host}/${org}/${slug}`.toLowerCase();
    const cached = this.#teamIds.get(key);
    if (cached !== undefined) return cached;
    const action = `looking up team ${org}/${slug}`;
    try {
      const { data } = await s.octokit.rest.teams.getByName({
        org,
        team_slug: slug,
      });
      this.#teamIds.set(key, data.id);
      return data.id;
    } catch (error) {
      this.#client.throwIfScopeMissing(error, action, s);
      if (hasStatus(error, 404)) {
        throw new NotFoundError(
          `reviewers: organisation ${org} has no team "${slug}"`,
        );
      }
      throw this.#client.fail(error, action, s);
    }
  }

  async userId(s: GitHubSession, login: string): Promise<number> {
    const key = `${s.host}/${login}`.toLowerCase();
    const cached = this.#userIds.get(key);
    if (cached !== undefined) return cached;
    try {
      const { data } = await s.octokit.rest.users.getByUsername({
        username: login,
      });
      this.#userIds.set(key, data.id);
      return data.id;
    } catch (error) {
      if (hasStatus(error, 404)) {
        throw new NotFoundError(
          `reviewers: there is no GitHub user "${login}"`,
        );
      }
      throw this.#client.fail(error, `looking up user ${login}`, s);
    }
  }
}
