/**
 * The state the GitHub test server keeps (organisations, teams, users,
 * repositories, rate limits, installation tokens): what the driver seeds and
 * the REST handlers and serializers read.
 */

/** @internal */
export interface TeamState {
  id: number;
  nodeId: string;
  slug: string;
  name: string;
}

/** @internal */
export interface OrgState {
  id: number;
  login: string;
  defaultBranch: string;
  teams: Map<string, TeamState>;
}

/** @internal */
export interface UserState {
  id: number;
  login: string;
  type: 'User' | 'Bot';
}

/** @internal */
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

/** @internal */
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
  keyPair?: { keyId: string; publicKey: Uint8Array; privateKey: Uint8Array };
  transient: { notFound: number; unprocessable: number };
  failNextPush?: 'before-apply' | 'after-apply';
}

/** @internal */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Epoch seconds. */
  reset: number;
}

/** @internal */
export interface SecondaryLimitTrigger {
  remaining: number;
  retryAfter: number | undefined;
  status: 403 | 429;
  writesOnly: boolean;
}

/** @internal */
export interface InstallationTokenState {
  installationId: number;
  appId: number;
  account: string;
  permissions: Record<string, 'read' | 'write'>;
  repositorySelection: 'all' | 'selected';
  repositories?: string[];
  expiresAt: number;
}
