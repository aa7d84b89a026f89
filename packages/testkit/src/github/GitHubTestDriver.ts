/**
 * The driver a test uses to seed the GitHub test server (organisations,
 * teams, tokens, apps, repositories with their bare git repository on disk),
 * inspect it, and inject faults.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import sodium from 'libsodium-wrappers';
import {
  commitFiles,
  git,
  initBare,
  listBranches,
  readTreeFiles,
  revParse,
} from './gitCli';
import {
  GitHubTestApp,
  GitHubTestContentLimits,
  GitHubTestFault,
  GitHubTestFeatureSupport,
  GitHubTestOrg,
  GitHubTestRepository,
  GitHubTestTeam,
  GitHubTestToken,
} from './driverTypes';
import { GitHubActionsTestDriver } from './actions/GitHubActionsTestDriver';
import { installPreReceiveHook } from './preReceiveHook';
import {
  BranchRules,
  branchRulesOf,
  repositorySnapshot,
} from './repositorySnapshot';
import { openSealedBox } from './sealedBox';
import { appSlug } from './serialize';
import {
  InstallationTokenState,
  NewRepoFields,
  newRepoState,
  OrgState,
  RateLimitState,
  RepoState,
  SecondaryLimitTrigger,
  TeamState,
  UserState,
} from './state';

const DEFAULT_SCOPES = ['repo', 'admin:org', 'workflow'];

/**
 * Inspects and steers a running GitHub test server.
 *
 * @public
 */
export class GitHubTestDriver {
  /** @internal */
  readonly orgs = new Map<string, OrgState>();
  /** @internal */
  readonly users = new Map<string, UserState>();
  /** @internal */
  readonly tokens = new Map<string, { login: string; scopes: string[] }>();
  /** @internal */
  readonly installationTokens = new Map<string, InstallationTokenState>();
  /** @internal */
  readonly apps = new Map<
    string,
    { app: GitHubTestApp; publicKey: crypto.KeyObject }
  >();
  /** @internal */
  readonly repos = new Map<string, RepoState>();
  /** @internal */
  readonly rateLimits = new Map<string, RateLimitState>();
  /** @internal */
  readonly writeTimes = new Map<string, number[]>();
  /** @internal */
  secondary: SecondaryLimitTrigger | undefined;
  /** @internal */
  readonly faults: GitHubTestFault[] = [];
  /** GitHub Actions: workflow runs, and the OIDC tokens of jobs. */
  readonly actions: GitHubActionsTestDriver = new GitHubActionsTestDriver(this);
  /** @internal */
  rulesetSupport: GitHubTestFeatureSupport = 'available';
  /** @internal */
  branchProtectionSupport: GitHubTestFeatureSupport = 'available';
  /** @internal */
  environmentProtectionSupport: 'available' | 'upgrade-required' = 'available';
  /** @internal */
  pagesSupport: 'available' | 'upgrade-required' = 'available';
  /** @internal */
  transientAfterCreate = { notFound: 0, unprocessable: 0 };
  /** @internal */
  rateLimitStatus: 403 | 429 = 403;
  /** @internal */
  defaultRateLimit = 5000;
  /**
   * GitHub's documented secondary limits on content-creating requests
   * (POST, PATCH, PUT, DELETE) per identity.
   *
   * @internal
   */
  contentLimits: GitHubTestContentLimits | undefined = {
    perMinute: 80,
    perHour: 500,
  };

  private nextId = 1000;

  /** @internal */
  constructor(private readonly reposDir: string) {}

  /** @internal */
  newId(): number {
    this.nextId += 1;
    return this.nextId;
  }

  /** @internal */
  key(owner: string, name: string): string {
    return `${owner.toLowerCase()}/${name.toLowerCase()}`;
  }

  /** @internal */
  gitDirFor(owner: string, name: string): string {
    return path.join(
      this.reposDir,
      owner.toLowerCase(),
      `${name.toLowerCase()}.git`,
    );
  }

  /** Adds an organisation (and its teams). */
  addOrg(org: GitHubTestOrg): void {
    const state: OrgState = {
      id: this.newId(),
      login: org.login,
      defaultBranch: org.defaultBranch ?? 'main',
      teams: new Map(),
    };
    this.orgs.set(org.login.toLowerCase(), state);
    for (const team of org.teams ?? []) {
      this.addTeam(org.login, team);
    }
  }

  /** Adds a team to an organisation. */
  addTeam(org: string, team: GitHubTestTeam): TeamState {
    const state = this.orgs.get(org.toLowerCase());
    if (!state) throw new Error(`No organisation ${org}`);
    const id = this.newId();
    const created: TeamState = {
      id,
      nodeId: Buffer.from(`Team:${id}`).toString('base64'),
      slug: team.slug,
      name: team.name ?? team.slug,
    };
    state.teams.set(team.slug.toLowerCase(), created);
    return created;
  }

  /** The id of a team, as GitHub reports it. */
  teamId(org: string, slug: string): number {
    const team = this.orgs
      .get(org.toLowerCase())
      ?.teams.get(slug.toLowerCase());
    if (!team) throw new Error(`No team ${org}/${slug}`);
    return team.id;
  }

  /** Adds a user account. */
  addUser(login: string, type: 'User' | 'Bot' = 'User'): UserState {
    const existing = this.users.get(login.toLowerCase());
    if (existing) return existing;
    const user: UserState = { id: this.newId(), login, type };
    this.users.set(login.toLowerCase(), user);
    return user;
  }

  /** The id of a user, as GitHub reports it. */
  userId(login: string): number {
    const user = this.users.get(login.toLowerCase());
    if (!user) throw new Error(`No user ${login}`);
    return user.id;
  }

  /** Adds a personal access token (classic). */
  addToken(token: GitHubTestToken): void {
    this.addUser(token.login);
    this.tokens.set(token.token, {
      login: token.login,
      scopes: token.scopes ?? DEFAULT_SCOPES,
    });
  }

  /** Registers a GitHub App and its installations. */
  addApp(app: GitHubTestApp): void {
    this.addUser(`${appSlug(app)}[bot]`, 'Bot');
    this.apps.set(String(app.appId), {
      app,
      publicKey: crypto.createPublicKey(app.publicKey),
    });
  }

  /**
   * Creates a repository directly, optionally with content on its default
   * branch (for "already exists" cases). Records no request.
   */
  async createRepository(
    owner: string,
    name: string,
    options: {
      private?: boolean;
      visibility?: 'private' | 'internal' | 'public';
      defaultBranch?: string;
      files?: Record<string, string>;
      description?: string;
      topics?: string[];
      archived?: boolean;
    } = {},
  ): Promise<RepoState> {
    const org = this.orgs.get(owner.toLowerCase());
    const visibility =
      options.visibility ?? (options.private === false ? 'public' : 'private');
    const repo = await this.insertRepo({
      owner: org?.login ?? owner,
      ownerType: org ? 'Organization' : 'User',
      name,
      private: visibility !== 'public',
      visibility,
      description: options.description ?? null,
      defaultBranch: options.defaultBranch ?? org?.defaultBranch ?? 'main',
    });
    repo.topics = [...(options.topics ?? [])];
    repo.archived = options.archived ?? false;
    if (options.files) {
      await commitFiles(repo.gitDir, {
        branch: repo.defaultBranch,
        files: options.files,
        message: 'Initial commit',
      });
      repo.pushedAt = new Date().toISOString();
    }
    return repo;
  }

  /** @internal */
  async insertRepo(fields: NewRepoFields): Promise<RepoState> {
    const id = this.newId();
    const gitDir = this.gitDirFor(fields.owner, fields.name);
    await initBare(gitDir, fields.defaultBranch);
    await installPreReceiveHook(gitDir);
    const repo = newRepoState(fields, id, gitDir);
    this.repos.set(this.key(fields.owner, fields.name), repo);
    return repo;
  }

  /** @internal */
  async removeRepo(repo: RepoState): Promise<void> {
    this.repos.delete(this.key(repo.owner, repo.name));
    await fs.rm(repo.gitDir, { recursive: true, force: true });
  }

  /** @internal */
  repo(owner: string, name: string): RepoState | undefined {
    return this.repos.get(this.key(owner, name));
  }

  /** @internal */
  async keyPairOf(repo: RepoState) {
    if (!repo.keyPair) {
      await sodium.ready;
      const pair = sodium.crypto_box_keypair();
      repo.keyPair = {
        keyId: String(this.newId() * 1000 + 7),
        publicKey: pair.publicKey,
        privateKey: pair.privateKey,
      };
    }
    return repo.keyPair;
  }

  /** The repository as the test inspects it, or undefined. */
  repository(owner: string, name: string): GitHubTestRepository | undefined {
    const repo = this.repo(owner, name);
    return repo ? repositorySnapshot(repo) : undefined;
  }

  /**
   * Opens the sealed box of an Actions secret with the repository's private
   * key: the value as the client encrypted it.
   */
  async decryptSecret(
    owner: string,
    name: string,
    secret: string,
  ): Promise<string> {
    const repo = this.repo(owner, name);
    const stored = repo?.secrets.get(secret);
    if (!repo || !stored || !repo.keyPair) {
      throw new Error(`No secret ${secret} in ${owner}/${name}`);
    }
    const plain = await openSealedBox(repo.keyPair, stored.encryptedValue);
    return sodium.to_string(plain);
  }

  /** The bare repository's folder on disk. */
  gitDir(owner: string, name: string): string {
    const repo = this.repo(owner, name);
    if (!repo) throw new Error(`No repository ${owner}/${name}`);
    return repo.gitDir;
  }

  /** The files at a ref (the default branch by default), path to content. */
  async files(
    owner: string,
    name: string,
    ref?: string,
  ): Promise<Record<string, string>> {
    const repo = this.repo(owner, name);
    if (!repo) throw new Error(`No repository ${owner}/${name}`);
    return readTreeFiles(
      repo.gitDir,
      ref ?? `refs/heads/${repo.defaultBranch}`,
    );
  }

  /** Branch name to commit sha. */
  async branches(owner: string, name: string): Promise<Record<string, string>> {
    return Object.fromEntries(await listBranches(this.gitDir(owner, name)));
  }

  /** The commit a branch points at, or undefined. */
  async head(owner: string, name: string, branch: string) {
    return revParse(this.gitDir(owner, name), `refs/heads/${branch}`);
  }

  /** The number of commits on a branch. */
  async commitCount(owner: string, name: string, branch: string) {
    const out = await git(this.gitDir(owner, name), [
      'rev-list',
      '--count',
      `refs/heads/${branch}`,
    ]);
    return Number(out.toString().trim());
  }

  /**
   * Commits files onto a branch of an existing repository, as a developer
   * would (by default GitHub <noreply@github.com>, as a merge on github.com).
   */
  async commit(
    owner: string,
    name: string,
    branch: string,
    files: Record<string, string>,
    message = 'Update',
    author?: { name: string; email: string },
  ): Promise<string> {
    const { commit } = await commitFiles(this.gitDir(owner, name), {
      branch,
      files,
      message,
      author,
    });
    return commit;
  }

  /**
   * Sets a token's primary rate limit budget; `resetInSeconds` from now
   * (an hour by default) it refills. `token` is a personal access token, or
   * `installation:<id>` for the budget a GitHub App installation's tokens
   * share.
   */
  setRateLimit(
    token: string,
    budget: { limit?: number; remaining: number; resetInSeconds?: number },
  ): void {
    this.rateLimits.set(token, {
      limit: budget.limit ?? this.defaultRateLimit,
      remaining: budget.remaining,
      reset: Math.floor(Date.now() / 1000) + (budget.resetInSeconds ?? 3600),
    });
  }

  /** The token's current primary budget. */
  rateLimit(token: string): RateLimitState | undefined {
    const state = this.rateLimits.get(token);
    return state ? { ...state } : undefined;
  }

  /** Answer primary rate limit exhaustion with 403 (GitHub's usual) or 429. */
  setRateLimitStatus(status: 403 | 429): void {
    this.rateLimitStatus = status;
  }

  /**
   * The next `requests` requests (content-creating ones only unless
   * `writesOnly` is false) hit a secondary rate limit: 403 (or 429) with
   * `retry-after` (1 s by default; `undefined` to send none).
   */
  triggerSecondaryRateLimit(
    options: {
      requests?: number;
      retryAfter?: number | undefined;
      status?: 403 | 429;
      writesOnly?: boolean;
    } = {},
  ): void {
    this.secondary = {
      remaining: options.requests ?? 1,
      retryAfter: 'retryAfter' in options ? options.retryAfter : 1,
      status: options.status ?? 403,
      writesOnly: options.writesOnly ?? true,
    };
  }

  /**
   * Changes (or with `undefined`, lifts) the secondary limits on
   * content-creating requests; GitHub's documented 80 a minute and 500 an
   * hour by default. `timeScale` shrinks the minute and the hour (0.1: a
   * minute of 6 s), so a test can meet both limits in seconds.
   */
  setContentCreationLimits(limits: GitHubTestContentLimits | undefined): void {
    this.contentLimits = limits;
    this.writeTimes.clear();
  }

  /**
   * Cuts the connection of the next push to the repository: before
   * receive-pack applies it (nothing lands), or after (it lands but the
   * client never hears so).
   */
  failNextPush(
    owner: string,
    name: string,
    when: 'before-apply' | 'after-apply' = 'before-apply',
  ): void {
    const repo = this.repo(owner, name);
    if (!repo) throw new Error(`No repository ${owner}/${name}`);
    repo.failNextPush = when;
  }

  /** Answers matching REST requests with an error (or a cut connection). */
  injectFault(fault: GitHubTestFault): void {
    this.faults.push({ times: 1, ...fault });
  }

  /**
   * After each repository creation through the API, its next requests answer
   * 404 (`notFound` of them) and then 422 (`unprocessable`), as GitHub does
   * while a new repository propagates.
   */
  setTransientErrorsAfterCreate(options: {
    notFound?: number;
    unprocessable?: number;
  }): void {
    this.transientAfterCreate = {
      notFound: options.notFound ?? 0,
      unprocessable: options.unprocessable ?? 0,
    };
  }

  /** How ruleset endpoints answer. */
  setRulesetSupport(support: GitHubTestFeatureSupport): void {
    this.rulesetSupport = support;
  }

  /** How branch protection endpoints answer. */
  setBranchProtectionSupport(support: GitHubTestFeatureSupport): void {
    this.branchProtectionSupport = support;
  }

  /**
   * Whether environments of private repositories may have reviewers and
   * wait timers (GitHub Free answers 422 for them).
   */
  setEnvironmentProtectionSupport(
    support: 'available' | 'upgrade-required',
  ): void {
    this.environmentProtectionSupport = support;
  }

  /**
   * Whether private repositories may have a Pages site (GitHub Free answers
   * 422 for them).
   */
  setPagesSupport(support: 'available' | 'upgrade-required'): void {
    this.pagesSupport = support;
  }

  /**
   * The branches an active rule forbids direct changes to, with what it
   * forbids, for the pre-receive hook and the contents API.
   *
   * @internal
   */
  branchRules(repo: RepoState, branch: string): BranchRules {
    return branchRulesOf(repo, branch);
  }
}
