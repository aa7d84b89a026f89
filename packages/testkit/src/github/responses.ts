/**
 * Error bodies as GitHub's REST API writes them: `message`,
 * `documentation_url` (anchored at the endpoint's documentation) and
 * `status` as a string; 422s add `errors`.
 */

const DOCS = 'https://docs.github.com/rest';

/** Documentation anchors of the endpoints the server implements. */
export const docs = {
  createOrgRepo: `${DOCS}/repos/repos#create-an-organization-repository`,
  createUserRepo: `${DOCS}/repos/repos#create-a-repository-for-the-authenticated-user`,
  getRepo: `${DOCS}/repos/repos#get-a-repository`,
  updateRepo: `${DOCS}/repos/repos#update-a-repository`,
  deleteRepo: `${DOCS}/repos/repos#delete-a-repository`,
  topics: `${DOCS}/repos/repos#replace-all-repository-topics`,
  getTopics: `${DOCS}/repos/repos#get-all-repository-topics`,
  branch: `${DOCS}/branches/branches#get-a-branch`,
  listCommits: `${DOCS}/commits/commits#list-commits`,
  rulesets: `${DOCS}/repos/rules#create-a-repository-ruleset`,
  listRulesets: `${DOCS}/repos/rules#get-all-repository-rulesets`,
  getRuleset: `${DOCS}/repos/rules#get-a-repository-ruleset`,
  updateRuleset: `${DOCS}/repos/rules#update-a-repository-ruleset`,
  branchProtection: `${DOCS}/branches/branch-protection#update-branch-protection`,
  getBranchProtection: `${DOCS}/branches/branch-protection#get-branch-protection`,
  teams: `${DOCS}/teams/teams#get-a-team-by-name`,
  repoTeams: `${DOCS}/repos/repos#list-repository-teams`,
  teamRepos: `${DOCS}/teams/teams#add-or-update-team-repository-permissions`,
  checkTeamRepo: `${DOCS}/teams/teams#check-team-permissions-for-a-repository`,
  collaborators: `${DOCS}/collaborators/collaborators#remove-a-repository-collaborator`,
  listCollaborators: `${DOCS}/collaborators/collaborators#list-repository-collaborators`,
  collaboratorPermission: `${DOCS}/collaborators/collaborators#get-repository-permissions-for-a-user`,
  environments: `${DOCS}/deployments/environments#create-or-update-an-environment`,
  listEnvironments: `${DOCS}/deployments/environments#list-environments`,
  getEnvironment: `${DOCS}/deployments/environments#get-an-environment`,
  secretsKey: `${DOCS}/actions/secrets#get-a-repository-public-key`,
  secrets: `${DOCS}/actions/secrets#create-or-update-a-repository-secret`,
  listSecrets: `${DOCS}/actions/secrets#list-repository-secrets`,
  getSecret: `${DOCS}/actions/secrets#get-a-repository-secret`,
  variables: `${DOCS}/actions/variables#create-a-repository-variable`,
  listVariables: `${DOCS}/actions/variables#list-repository-variables`,
  getVariable: `${DOCS}/actions/variables#get-a-repository-variable`,
  listWorkflowRuns: `${DOCS}/actions/workflow-runs#list-workflow-runs-for-a-repository`,
  updateVariable: `${DOCS}/actions/variables#update-a-repository-variable`,
  contents: `${DOCS}/repos/contents#create-or-update-file-contents`,
  getContents: `${DOCS}/repos/contents#get-repository-content`,
  refs: `${DOCS}/git/refs#get-a-reference`,
  pulls: `${DOCS}/pulls/pulls#create-a-pull-request`,
  listPulls: `${DOCS}/pulls/pulls#list-pull-requests`,
  getPull: `${DOCS}/pulls/pulls#get-a-pull-request`,
  user: `${DOCS}/users/users#get-the-authenticated-user`,
  users: `${DOCS}/users/users#get-a-user`,
  org: `${DOCS}/orgs/orgs#get-an-organization`,
  app: `${DOCS}/apps/apps#get-the-authenticated-app`,
  installations: `${DOCS}/apps/apps#list-installations-for-the-authenticated-app`,
  installationToken: `${DOCS}/apps/apps#create-an-installation-access-token-for-an-app`,
  installationRepos: `${DOCS}/apps/installations#list-repositories-accessible-to-the-app-installation`,
  getPages: `${DOCS}/pages/pages#get-a-apiname-pages-site`,
  createPages: `${DOCS}/pages/pages#create-a-apiname-pages-site`,
  updatePages: `${DOCS}/pages/pages#update-information-about-a-apiname-pages-site`,
  deletePages: `${DOCS}/pages/pages#delete-a-apiname-pages-site`,
  rateLimit: `${DOCS}/overview/rate-limits-for-the-rest-api`,
  secondaryRateLimit:
    'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
  root: DOCS,
};

/** A JSON error body. */
export function errorBody(
  status: number,
  message: string,
  documentationUrl: string,
  errors?: unknown[],
): Record<string, unknown> {
  return {
    message,
    ...(errors ? { errors } : {}),
    documentation_url: documentationUrl,
    status: String(status),
  };
}

/** An error a handler throws; the server answers it as GitHub would. */
export class GitHubHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly documentationUrl: string,
    readonly errors?: unknown[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return errorBody(
      this.status,
      this.message,
      this.documentationUrl,
      this.errors,
    );
  }
}

/** 404 Not Found, GitHub's answer for anything missing or hidden. */
export function notFound(documentationUrl: string, message = 'Not Found') {
  return new GitHubHttpError(404, message, documentationUrl);
}

/** The value looked up, or GitHub's 404 when there is none. */
export function found<T>(
  value: T | undefined | null,
  documentationUrl: string,
  message?: string,
): T {
  if (!value) throw notFound(documentationUrl, message);
  return value;
}

/** 403 for what an app installation's token may not do. */
export function notAccessibleByIntegration(documentationUrl: string) {
  return new GitHubHttpError(
    403,
    'Resource not accessible by integration',
    documentationUrl,
  );
}

/** 422 for a required field left out, worded as GitHub's schema check. */
export function notSupplied(field: string, documentationUrl: string) {
  return new GitHubHttpError(
    422,
    `Invalid request.\n\n"${field}" wasn't supplied.`,
    documentationUrl,
  );
}

/** 422 Validation Failed with GitHub's `errors` array. */
export function validationFailed(documentationUrl: string, errors: unknown[]) {
  return new GitHubHttpError(
    422,
    'Validation Failed',
    documentationUrl,
    errors,
  );
}

/** Answered when a private repository's plan lacks the feature. */
export const UPGRADE_MESSAGE =
  'Upgrade to GitHub Pro or make this repository public to enable this feature.';

/** The secondary rate limit message, as captured from GitHub. */
export function secondaryRateLimitMessage(requestId: string): string {
  return `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`;
}

/** The primary rate limit message for an authenticated identity. */
export function primaryRateLimitMessage(
  kind: 'user' | 'installation',
  id: number,
): string {
  return `API rate limit exceeded for ${kind} ID ${id}.`;
}
