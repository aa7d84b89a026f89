/**
 * The state the GitHub test server keeps (organisations, teams, users,
 * repositories, rate limits, installation tokens): what the driver seeds and
 * the REST handlers and serializers read, and its defaults.
 */

/** Server state (not for tests to use directly). */
export interface TeamState {
  id: number;
  nodeId: string;
  slug: string;
  name: string;
}

/** Server state (not for tests to use directly). */
export interface OrgState {
  id: number;
  login: string;
  defaultBranch: string;
  teams: Map<string, TeamState>;
}

/** Server state (not for tests to use directly). */
export interface UserState {
  id: number;
  login: string;
  type: 'User' | 'Bot';
}

/** Server state (not for tests to use directly). */
export interface EnvironmentState {
  id: number;
  name: string;
  createdAt: string;
  updatedAt: string;
  wait_timer: number;
  prevent_self_review: boolean;
  reviewers: Array<{ type: 'User' | 'Team'; id: number }>;
  deployment_branch_policy: {
    protected_branches: boolean;
    custom_branch_policies: boolean;
  } | null;
  ruleIds: { waitTimer: number; reviewers: number; branchPolicy: number };
}

/** Server state (not for tests to use directly). */
export interface WorkflowRunState {
  id: number;
  name: string;
  path: string;
  headBranch: string;
  headSha: string;
  event: string;
  status: string;
  conclusion: string | null;
  runNumber: number;
  createdAt: string;
  updatedAt: string;
}

/** Server state (not for tests to use directly). */
export interface PagesState {
  buildType: 'legacy' | 'workflow';
  source: { branch: string; path: string };
  cname: string | null;
  httpsEnforced: boolean;
  status: 'built' | 'building' | 'errored' | null;
}

/** Server state (not for tests to use directly). */
export interface RepoState {
  id: number;
  nodeId: string;
  owner: string;
  ownerType: 'Organization' | 'User';
  name: string;
  private: boolean;
  visibility: string;
  description: string | null;
  topics: string[];
  defaultBranch: string;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
  pushedAt: string | null;
  gitDir: string;
  rulesets: Map<number, Record<string, any>>;
  branchProtection: Map<string, Record<string, any>>;
  teams: Map<string, string>;
  collaborators: Map<string, string>;
  environments: Map<string, EnvironmentState>;
  secrets: Map<
    string,
    {
      encryptedValue: string;
      keyId: string;
      createdAt: string;
      updatedAt: string;
    }
  >;
  variables: Map<
    string,
    { value: string; createdAt: string; updatedAt: string }
  >;
  pulls: Array<Record<string, any>>;
  /** The GitHub Pages site, when one is enabled. */
  pages?: PagesState;
  workflowRuns: WorkflowRunState[];
  keyPair?: { keyId: string; publicKey: Uint8Array; privateKey: Uint8Array };
  transient: { notFound: number; unprocessable: number };
  failNextPush?: 'before-apply' | 'after-apply';
}

/** What a new repository is created with. */
export type NewRepoFields = Pick<
  RepoState,
  | 'owner'
  | 'ownerType'
  | 'name'
  | 'private'
  | 'visibility'
  | 'description'
  | 'defaultBranch'
>;

/** A new repository's state: nothing set, no commits. */
export function newRepoState(
  fields: NewRepoFields,
  id: number,
  gitDir: string,
): RepoState {
  const now = new Date().toISOString();
  return {
    ...fields,
    id,
    nodeId: Buffer.from(`Repository:${id}`).toString('base64'),
    topics: [],
    archived: false,
    createdAt: now,
    updatedAt: now,
    pushedAt: null,
    gitDir,
    rulesets: new Map(),
    branchProtection: new Map(),
    teams: new Map(),
    collaborators: new Map(),
    environments: new Map(),
    secrets: new Map(),
    variables: new Map(),
    pulls: [],
    workflowRuns: [],
    transient: { notFound: 0, unprocessable: 0 },
  };
}

/** Server state (not for tests to use directly). */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Epoch seconds. */
  reset: number;
}

/** Server state (not for tests to use directly). */
export interface SecondaryLimitTrigger {
  remaining: number;
  retryAfter: number | undefined;
  status: 403 | 429;
  writesOnly: boolean;
}

/** Server state (not for tests to use directly). */
export interface InstallationTokenState {
  installationId: number;
  appId: number;
  account: string;
  permissions: Record<string, 'read' | 'write'>;
  repositorySelection: 'all' | 'selected';
  repositories?: string[];
  expiresAt: number;
}

/** The permissions an installation has when the test names none. */
export const DEFAULT_INSTALLATION_PERMISSIONS: Record<
  string,
  'read' | 'write'
> = {
  administration: 'write',
  contents: 'write',
  workflows: 'write',
  secrets: 'write',
  variables: 'write',
  environments: 'write',
  pages: 'write',
  pull_requests: 'write',
  actions: 'read',
  members: 'read',
  metadata: 'read',
};
