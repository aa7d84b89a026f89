/**
 * GitHub Actions on the test server: the workflow runs a test records for a
 * repository (listed by `GET /repos/{owner}/{repo}/actions/runs`) and the
 * OIDC ID tokens its jobs would get.
 */
import crypto from 'node:crypto';
import type { GitHubTestDriver } from '../GitHubTestDriver';
import { timestamp } from '../serialize';
import { WorkflowRunState } from '../state';
import {
  ActionsOidcIssuer,
  GitHubActionsTokenRequest,
} from './ActionsOidcIssuer';

/** A workflow run to record; GitHub's defaults for a finished push run. @public */
export interface GitHubTestWorkflowRun {
  /** The workflow's name, `CI` by default. */
  name?: string;
  /** `.github/workflows/ci.yaml` by default. */
  path?: string;
  /** The default branch by default. */
  headBranch?: string;
  /** Made up when left out. */
  headSha?: string;
  /** `push` by default. */
  event?: string;
  /** `completed` by default. */
  status?: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'pending';
  /** `success` by default when completed, else null. */
  conclusion?:
    | 'success'
    | 'failure'
    | 'cancelled'
    | 'skipped'
    | 'timed_out'
    | 'action_required'
    | null;
  /** Now by default. */
  createdAt?: Date;
}

/** What a job's steps see in their environment: where and how to ask for an OIDC token, and the run. @public */
export interface GitHubTestJobEnvironment {
  ACTIONS_ID_TOKEN_REQUEST_URL: string;
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: string;
  GITHUB_REPOSITORY: string;
  GITHUB_SHA: string;
  GITHUB_REF: string;
  GITHUB_RUN_ID: string;
  GITHUB_WORKFLOW: string;
  [name: string]: string;
}

/** A number made from a name, for a repository the server does not hold. */
function idFrom(name: string): number {
  return crypto.createHash('sha256').update(name).digest().readUInt32BE(0);
}

/** The conclusion given, else success for a finished run and null for one still going. */
function conclusionOf(run: GitHubTestWorkflowRun, status: string) {
  if (run.conclusion !== undefined) return run.conclusion;
  return status === 'completed' ? 'success' : null;
}

/**
 * Records workflow runs and issues Actions OIDC tokens.
 *
 * @public
 */
export class GitHubActionsTestDriver {
  readonly #driver: GitHubTestDriver;
  /** @internal */
  readonly oidc = new ActionsOidcIssuer();

  /** @internal */
  constructor(driver: GitHubTestDriver) {
    this.#driver = driver;
  }

  /** The issuer URL (the server's root), as `https://token.actions.githubusercontent.com` is GitHub's. */
  get issuer(): string {
    return this.oidc.issuer;
  }

  /** The JWKS URL, `<issuer>/.well-known/jwks`. */
  get jwksUrl(): string {
    return `${this.oidc.issuer}/.well-known/jwks`;
  }

  /**
   * The ID token a job of the repository's workflow gets from
   * `$ACTIONS_ID_TOKEN_REQUEST_URL` with `audience`: an RS256 JWT signed
   * with the key the JWKS publishes.
   */
  issueToken(request: GitHubActionsTokenRequest): Promise<string> {
    const [owner, name] = request.repository.split('/');
    if (!owner || !name) {
      throw new Error(
        `repository must be owner/repo, got "${request.repository}"`,
      );
    }
    const repo = this.#driver.repo(owner, name);
    const org = this.#driver.orgs.get(owner.toLowerCase());
    return this.oidc.sign(request, {
      repositoryId: repo?.id ?? idFrom(request.repository),
      ownerId: org?.id ?? idFrom(owner),
      visibility: repo?.visibility ?? 'private',
    });
  }

  /** @internal The jobs started, by their request token. */
  readonly jobs = new Map<
    string,
    { id: string; request: Omit<GitHubActionsTokenRequest, 'audience'> }
  >();

  /**
   * Starts a job of the repository's workflow (with `id-token: write`): the
   * environment its steps get, whose `ACTIONS_ID_TOKEN_REQUEST_URL`, with
   * `&audience=<aud>` appended and the request token as bearer, answers
   * `{ "value": "<OIDC token>" }` as GitHub's does.
   */
  startJob(
    request: Omit<GitHubActionsTokenRequest, 'audience'>,
  ): GitHubTestJobEnvironment {
    const id = crypto.randomUUID();
    const requestToken = crypto.randomBytes(24).toString('base64url');
    const sha = request.sha ?? crypto.randomBytes(20).toString('hex');
    const runId = request.runId ?? this.#driver.newId();
    this.jobs.set(requestToken, { id, request: { ...request, sha, runId } });
    return {
      ACTIONS_ID_TOKEN_REQUEST_URL: `${this.oidc.issuer}/_apis/distributedtask/jobs/${id}/idtoken?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
      GITHUB_REPOSITORY: request.repository,
      GITHUB_SHA: sha,
      GITHUB_REF: request.ref ?? 'refs/heads/main',
      GITHUB_RUN_ID: String(runId),
      GITHUB_WORKFLOW: request.workflow ?? 'CI',
    };
  }

  /** Records a workflow run of the repository (which must exist); the stored run. */
  recordRun(
    repository: string,
    run: GitHubTestWorkflowRun = {},
  ): WorkflowRunState {
    const [owner, name] = repository.split('/');
    const repo = this.#driver.repo(owner ?? '', name ?? '');
    if (!repo) throw new Error(`No repository ${repository}`);
    const status = run.status ?? 'completed';
    const createdAt = timestamp(run.createdAt ?? new Date());
    const state: WorkflowRunState = {
      id: this.#driver.newId() * 1000 + 3,
      name: run.name ?? 'CI',
      path: run.path ?? '.github/workflows/ci.yaml',
      headBranch: run.headBranch ?? repo.defaultBranch,
      headSha: run.headSha ?? crypto.randomBytes(20).toString('hex'),
      event: run.event ?? 'push',
      status,
      conclusion: conclusionOf(run, status),
      runNumber: repo.workflowRuns.length + 1,
      createdAt,
      updatedAt: createdAt,
    };
    repo.workflowRuns.push(state);
    return state;
  }
}
