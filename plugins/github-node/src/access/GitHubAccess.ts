import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  GitHubCallOptions,
  GitHubRepoPermission,
  GitHubRepoRef,
  GrantTeamAccessOptions,
  GrantTeamAccessResult,
  RemoveCreatorAdminResult,
} from '../GitHubRepoService';
import { GitHubClient } from '../client/GitHubClient';
import { GitHubDirectory } from '../client/GitHubDirectory';
import { GitHubSession } from '../client/GitHubSession';
import { hasStatus } from '../errors';
import { assertRepositoryName } from '../names';

const PERMISSIONS: GitHubRepoPermission[] = [
  'pull',
  'triage',
  'push',
  'maintain',
  'admin',
];

function checkGrant(request: GrantTeamAccessOptions) {
  const { team, permission } = request;
  assertRepositoryName(request.name);
  if (!PERMISSIONS.includes(permission)) {
    throw new InputError(
      `permission: "${permission}" is not a GitHub repository role; expected one of ${PERMISSIONS.join(
        ', ',
      )}`,
    );
  }
  if (typeof team !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(team)) {
    throw new InputError(`team: invalid team slug "${team}"`);
  }
}

/** Who may do what on a repository: the team's role, and not the creator's admin rights. */
export class GitHubAccess {
  readonly #client: GitHubClient;
  readonly #directory: GitHubDirectory;

  constructor(options: { client: GitHubClient; directory: GitHubDirectory }) {
    this.#client = options.client;
    this.#directory = options.directory;
  }

  async grantTeam(
    request: GrantTeamAccessOptions,
    options?: GitHubCallOptions,
  ): Promise<GrantTeamAccessResult> {
    checkGrant(request);
    const { owner, name, team, permission } = request;
    const full = `${owner}/${name}`;
    const action = `granting team ${team} ${permission} on ${full}`;
    const s = await this.#client.session(request, action, options);
    const existing = await this.#currentRole(s, team, action);
    if (existing && existing.permission !== permission) {
      throw new ConflictError(
        `team ${team} already has the ${existing.permission} role on ${full}, not ${permission}; Paved will not change it`,
      );
    }
    if (!existing) await this.#grant(s, request, action);
    const removal = await this.removeCreatorAdmin(
      { ...request, enabled: request.removeCreatorAdmin },
      options,
    );
    const act = existing ? 'unchanged' : 'granted';
    return { team, permission, action: act, ...removal };
  }

  async removeCreatorAdmin(
    request: GitHubRepoRef & { enabled?: boolean },
    options?: GitHubCallOptions,
  ): Promise<RemoveCreatorAdminResult> {
    const { owner, name } = request;
    assertRepositoryName(name);
    if (!(request.enabled ?? this.#client.settings.removeCreatorAdmin)) {
      return { creatorAdmin: 'kept' };
    }
    const action = `removing the creator's admin rights on ${owner}/${name}`;
    const s = await this.#client.session(request, action, options);
    if (s.credentials === 'app') return { creatorAdmin: 'not-applicable' };
    let creator: string;
    try {
      creator = await this.#directory.login(s);
      await this.#client.onRepo(s, () =>
        s.octokit.rest.repos.removeCollaborator({
          owner,
          repo: name,
          username: creator,
        }),
      );
    } catch (error) {
      throw this.#client.fail(error, action, s);
    }
    s.logger.info(`Removed ${creator} as a direct collaborator of ${s.full}`);
    return { creatorAdmin: 'removed', creator };
  }

  /** The team's entry among the repository's teams, if it has one. */
  async #currentRole(s: GitHubSession, team: string, action: string) {
    // A repository this process created moments ago holds only what Paved
    // put there: the read before the write would only cost a request.
    let teams: any[] = [];
    try {
      if (!this.#client.isFresh(s)) {
        teams = await this.#client.onRepo(s, () =>
          s.octokit.paginate(s.octokit.rest.repos.listTeams, {
            owner: s.repo.owner,
            repo: s.repo.name,
            per_page: 100,
          }),
        );
      }
    } catch (error) {
      throw this.#client.fail(error, action, s);
    }
    this.#directory.rememberTeams(s, s.repo.owner, teams);
    return teams.find(t => t.slug.toLowerCase() === team.toLowerCase());
  }

  async #grant(
    s: GitHubSession,
    request: GrantTeamAccessOptions,
    action: string,
  ) {
    const { owner, name, team, permission } = request;
    try {
      await this.#client.onRepo(s, () =>
        s.octokit.rest.teams.addOrUpdateRepoPermissionsInOrg({
          org: owner,
          team_slug: team,
          owner,
          repo: name,
          permission,
        }),
      );
    } catch (error) {
      this.#client.throwIfScopeMissing(error, action, s);
      if (hasStatus(error, 404)) {
        throw new NotFoundError(
          `${action} failed: organisation ${owner} has no team "${team}" (or the credentials cannot see it)`,
        );
      }
      throw this.#client.fail(error, action, s);
    }
    s.logger.info(`Granted team ${team} ${permission} on ${s.full}`);
  }
}
