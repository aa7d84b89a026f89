/**
 * The JSON shapes GitHub's REST API answers with (the fields clients read,
 * named and nested as GitHub does).
 */
import {
  EnvironmentState,
  OrgState,
  RepoState,
  TeamState,
  UserState,
} from './state';

/** Where the server is: its REST root and its web (and git) root. */
export interface Urls {
  api: string;
  web: string;
}

/** A time as GitHub writes it: ISO 8601 to the second. */
export function timestamp(date: Date | string | number = new Date()): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** An app's slug, or the one the test server makes up for an app without. */
export function appSlug(app: { appId: number; slug?: string }): string {
  return app.slug ?? `app-${app.appId}`;
}

const PERMISSION_ORDER = ['pull', 'triage', 'push', 'maintain', 'admin'];

/** The `permissions` object for a role. */
export function permissionsFor(role: string | undefined) {
  const rank = role ? PERMISSION_ORDER.indexOf(role) : -1;
  return {
    admin: rank >= 4,
    maintain: rank >= 3,
    push: rank >= 2,
    triage: rank >= 1,
    pull: rank >= 0,
  };
}

/** GitHub's role names for the permission keys of the API. */
export function roleName(permission: string): string {
  return (
    (
      {
        pull: 'read',
        triage: 'triage',
        push: 'write',
        maintain: 'maintain',
        admin: 'admin',
      } as Record<string, string>
    )[permission] ?? permission
  );
}

export function userJson(user: UserState, urls: Urls) {
  return {
    login: user.login,
    id: user.id,
    node_id: Buffer.from(`User:${user.id}`).toString('base64'),
    avatar_url: `${urls.web}/avatars/u/${user.id}`,
    url: `${urls.api}/users/${user.login}`,
    html_url: `${urls.web}/${user.login}`,
    type: user.type,
    site_admin: false,
  };
}

export function orgOwnerJson(org: OrgState, urls: Urls) {
  return {
    login: org.login,
    id: org.id,
    node_id: Buffer.from(`Organization:${org.id}`).toString('base64'),
    avatar_url: `${urls.web}/avatars/u/${org.id}`,
    url: `${urls.api}/users/${org.login}`,
    html_url: `${urls.web}/${org.login}`,
    type: 'Organization',
    site_admin: false,
  };
}

export function orgJson(org: OrgState, urls: Urls) {
  return {
    login: org.login,
    id: org.id,
    node_id: Buffer.from(`Organization:${org.id}`).toString('base64'),
    url: `${urls.api}/orgs/${org.login}`,
    repos_url: `${urls.api}/orgs/${org.login}/repos`,
    html_url: `${urls.web}/${org.login}`,
    type: 'Organization',
  };
}

export function teamJson(team: TeamState, org: OrgState, urls: Urls) {
  return {
    id: team.id,
    node_id: team.nodeId,
    url: `${urls.api}/organizations/${org.id}/team/${team.id}`,
    html_url: `${urls.web}/orgs/${org.login}/teams/${team.slug}`,
    name: team.name,
    slug: team.slug,
    description: null,
    privacy: 'closed',
    notification_setting: 'notifications_enabled',
    permission: 'pull',
    members_url: `${urls.api}/organizations/${org.id}/team/${team.id}/members{/member}`,
    repositories_url: `${urls.api}/organizations/${org.id}/team/${team.id}/repos`,
    parent: null,
  };
}

export function repoJson(
  repo: RepoState,
  urls: Urls,
  owner: Record<string, unknown>,
  role: string | undefined,
  extra: { size?: number } = {},
) {
  const full = `${repo.owner}/${repo.name}`;
  return {
    id: repo.id,
    node_id: repo.nodeId,
    name: repo.name,
    full_name: full,
    private: repo.private,
    owner,
    html_url: `${urls.web}/${full}`,
    description: repo.description,
    fork: false,
    url: `${urls.api}/repos/${full}`,
    git_url: `${urls.web.replace(/^https?:/, 'git:')}/${full}.git`,
    ssh_url: `git@${new URL(urls.web).host}:${full}.git`,
    clone_url: `${urls.web}/${full}.git`,
    svn_url: `${urls.web}/${full}`,
    homepage: null,
    size: extra.size ?? 0,
    language: null,
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_discussions: false,
    archived: repo.archived,
    disabled: false,
    // Issues are not modelled: the open ones are the pull requests.
    open_issues_count: repo.pulls.filter(p => p.state === 'open').length,
    open_issues: repo.pulls.filter(p => p.state === 'open').length,
    visibility: repo.visibility,
    topics: [...repo.topics],
    default_branch: repo.defaultBranch,
    created_at: repo.createdAt,
    updated_at: repo.updatedAt,
    pushed_at: repo.pushedAt,
    permissions: permissionsFor(role),
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_rebase_merge: true,
    delete_branch_on_merge: false,
    ...(repo.ownerType === 'Organization' ? { organization: owner } : {}),
  };
}

/** A ruleset as `GET /repos/{o}/{r}/rulesets` lists it (no rules). */
export function rulesetSummaryJson(ruleset: Record<string, any>) {
  const {
    rules: _rules,
    conditions: _conditions,
    bypass_actors: _bypass,
    current_user_can_bypass: _can,
    ...summary
  } = ruleset;
  return summary;
}

/** An environment with its protection rules, as GitHub answers it. */
export function environmentJson(
  env: EnvironmentState,
  repo: RepoState,
  urls: Urls,
  reviewer: (r: { type: 'User' | 'Team'; id: number }) => unknown,
) {
  const full = `${repo.owner}/${repo.name}`;
  const rules: unknown[] = [];
  if (env.wait_timer > 0) {
    rules.push({
      id: env.ruleIds.waitTimer,
      node_id: Buffer.from(`Gate:${env.ruleIds.waitTimer}`).toString('base64'),
      type: 'wait_timer',
      wait_timer: env.wait_timer,
    });
  }
  if (env.reviewers.length > 0) {
    rules.push({
      id: env.ruleIds.reviewers,
      node_id: Buffer.from(`Gate:${env.ruleIds.reviewers}`).toString('base64'),
      prevent_self_review: env.prevent_self_review,
      type: 'required_reviewers',
      reviewers: env.reviewers.map(r => ({
        type: r.type,
        reviewer: reviewer(r),
      })),
    });
  }
  if (env.deployment_branch_policy) {
    rules.push({
      id: env.ruleIds.branchPolicy,
      node_id: Buffer.from(`Gate:${env.ruleIds.branchPolicy}`).toString(
        'base64',
      ),
      type: 'branch_policy',
    });
  }
  return {
    id: env.id,
    node_id: Buffer.from(`Environment:${env.id}`).toString('base64'),
    name: env.name,
    url: `${urls.api}/repos/${full}/environments/${encodeURIComponent(
      env.name,
    )}`,
    html_url: `${
      urls.web
    }/${full}/deployments/activity_log?environments_filter=${encodeURIComponent(
      env.name,
    )}`,
    created_at: env.createdAt,
    updated_at: env.updatedAt,
    can_admins_bypass: true,
    protection_rules: rules,
    deployment_branch_policy: env.deployment_branch_policy,
  };
}

/** The protection object `GET/PUT .../branches/{b}/protection` answers. */
export function branchProtectionJson(body: Record<string, any>, url: string) {
  const checks = body.required_status_checks;
  const reviews = body.required_pull_request_reviews;
  const flag = (value: unknown) => ({ enabled: Boolean(value) });
  return {
    url,
    ...(checks
      ? {
          required_status_checks: {
            url: `${url}/required_status_checks`,
            strict: Boolean(checks.strict),
            contexts: checks.checks
              ? checks.checks.map((c: any) => c.context)
              : checks.contexts ?? [],
            checks: checks.checks
              ? checks.checks.map((c: any) => ({
                  context: c.context,
                  app_id: c.app_id ?? null,
                }))
              : (checks.contexts ?? []).map((c: string) => ({
                  context: c,
                  app_id: null,
                })),
            contexts_url: `${url}/required_status_checks/contexts`,
          },
        }
      : {}),
    ...(reviews
      ? {
          required_pull_request_reviews: {
            url: `${url}/required_pull_request_reviews`,
            dismiss_stale_reviews: Boolean(reviews.dismiss_stale_reviews),
            require_code_owner_reviews: Boolean(
              reviews.require_code_owner_reviews,
            ),
            require_last_push_approval: Boolean(
              reviews.require_last_push_approval,
            ),
            required_approving_review_count:
              reviews.required_approving_review_count ?? 1,
          },
        }
      : {}),
    required_signatures: {
      url: `${url}/required_signatures`,
      enabled: false,
    },
    enforce_admins: {
      url: `${url}/enforce_admins`,
      enabled: Boolean(body.enforce_admins),
    },
    required_linear_history: flag(body.required_linear_history),
    allow_force_pushes: flag(body.allow_force_pushes),
    allow_deletions: flag(body.allow_deletions),
    block_creations: flag(body.block_creations),
    required_conversation_resolution: flag(
      body.required_conversation_resolution,
    ),
    lock_branch: flag(body.lock_branch),
    allow_fork_syncing: flag(body.allow_fork_syncing),
  };
}

/** A file as the contents API answers it. */
export function fileJson(
  repo: RepoState,
  urls: Urls,
  filePath: string,
  blob: { sha: string; content: Buffer },
  ref: string,
  withContent = true,
) {
  const full = `${repo.owner}/${repo.name}`;
  const self = `${urls.api}/repos/${full}/contents/${filePath}?ref=${ref}`;
  const gitUrl = `${urls.api}/repos/${full}/git/blobs/${blob.sha}`;
  const htmlUrl = `${urls.web}/${full}/blob/${ref}/${filePath}`;
  return {
    type: 'file',
    ...(withContent
      ? {
          encoding: 'base64',
          // GitHub wraps the base64 at 60 characters.
          content: `${(
            blob.content.toString('base64').match(/.{1,60}/g) ?? ['']
          )
            .join('\n')
            .concat('\n')}`,
        }
      : {}),
    size: blob.content.length,
    name: filePath.split('/').pop(),
    path: filePath,
    sha: blob.sha,
    url: self,
    git_url: gitUrl,
    html_url: htmlUrl,
    download_url: `${urls.web}/${full}/raw/${ref}/${filePath}`,
    _links: { self, git: gitUrl, html: htmlUrl },
  };
}
