import type { JsonObject, JsonValue } from '@backstage/config';
import type { TerraformModule } from './modules/ModuleCatalog';

/**
 * What a plan does to a resource: Terraform's action lists, named.
 * `replace` is `["delete","create"]` or `["create","delete"]`.
 *
 * @public
 */
export type TerraformResourceAction =
  | 'create'
  | 'update'
  | 'delete'
  | 'replace'
  | 'read'
  | 'forget'
  | 'no-op';

/**
 * One resource change of a plan, without secret values.
 *
 * @public
 */
export interface TerraformResourceChange {
  address: string;
  type: string;
  name: string;
  action: TerraformResourceAction;
  /** Terraform's `action_reason`, when given. */
  reason?: string;
  /** Attributes whose change forces the replacement. */
  replacePaths?: string[];
  /**
   * Attribute values after the change, top level; sensitive ones read
   * "(sensitive value)", those unknown until apply "(known after apply)".
   */
  after?: JsonObject;
}

/**
 * A plan as shown to the user before apply: counts (as Terraform counts
 * them: a replacement is one add and one destroy) and each changed resource.
 *
 * @public
 */
export interface TerraformPlanSummary {
  add: number;
  change: number;
  destroy: number;
  /** Replacements, included in both `add` and `destroy`. */
  replace: number;
  /** "Plan: 1 to add, 0 to change, 0 to destroy." */
  text: string;
  /** Changed resources, in plan order (no-ops left out). */
  resources: TerraformResourceChange[];
  /** Root outputs that change. */
  outputs: Array<{ name: string; action: string; sensitive: boolean }>;
  terraformVersion: string;
}

/**
 * A saved plan.
 *
 * @public
 */
export interface TerraformPlan {
  planId: string;
  workspace: string;
  module: string;
  createdAt: string;
  /** After this, apply refuses the plan (`paved.terraform.planMaxAge`). */
  expiresAt: string;
  hasChanges: boolean;
  /** A plan that destroys the workspace's resources. */
  destroy: boolean;
  status: TerraformPlanStatus;
  summary: TerraformPlanSummary;
}

/**
 * Where a saved plan stands.
 *
 * @public
 */
export type TerraformPlanStatus =
  | 'planned'
  | 'applying'
  | 'applied'
  | 'failed'
  | 'stale'
  | 'discarded'
  | 'expired';

/**
 * A root output value. Sensitive values are handed to callers of the
 * runner, never logged.
 *
 * @public
 */
export interface TerraformOutput {
  value: JsonValue;
  sensitive: boolean;
  /** Terraform's type of the value (cty type JSON). */
  type: JsonValue;
}

/**
 * What an apply or destroy did.
 *
 * @public
 */
export interface TerraformApplyResult {
  planId?: string;
  workspace: string;
  added: number;
  changed: number;
  destroyed: number;
  /** Resources changed, with the action taken. */
  resources: Array<{ address: string; action: TerraformResourceAction }>;
  /** True when this call finished an apply that had stopped part way. */
  resumed: boolean;
  /** "Apply complete! Resources: 1 added, 0 changed, 0 destroyed." */
  text: string;
}

/**
 * A progress line for a task log, already free of secrets.
 *
 * @public
 */
export interface TerraformProgressEvent {
  level: 'info' | 'warn' | 'error';
  message: string;
  /** The JSON UI message type it came from, or `runner`. */
  type: string;
  address?: string;
}

/**
 * Options of every run.
 *
 * @public
 */
export interface TerraformRunOptions {
  /** Cancels the run: SIGINT to terraform, then SIGKILL after the grace period. */
  signal?: AbortSignal;
  /** Receives progress lines as terraform streams its UI messages. */
  onProgress?: (event: TerraformProgressEvent) => void;
}

/**
 * A request to plan a vetted module in a workspace.
 *
 * @public
 */
export interface TerraformPlanRequest {
  /** Name of a module under the modules directory. */
  module: string;
  /** Workspace: one state, one run at a time. Lowercase, digits, dashes. */
  workspace: string;
  /** Values for the module's variables; checked before anything runs. */
  variables?: Record<string, unknown>;
  /** Who may apply the plan (a task id); others are refused. */
  owner?: string;
  /** Plan the destruction of the workspace's resources. */
  destroy?: boolean;
  /** Only show the plan (dry run): the plan file is removed at once. */
  discard?: boolean;
}

/**
 * A request to apply a saved plan.
 *
 * @public
 */
export interface TerraformApplyRequest {
  planId: string;
  /** Must equal the plan's owner, when the plan has one. */
  owner?: string;
  /** Allow a plan that destroys or replaces resources. */
  allowDestroy?: boolean;
}

/**
 * A request to destroy a workspace's resources.
 *
 * @public
 */
export interface TerraformDestroyRequest {
  module: string;
  workspace: string;
  variables?: Record<string, unknown>;
}

/**
 * The group that owns a workspace, recorded at the workspace's first plan.
 *
 * @public
 */
export interface TerraformWorkspaceOwner {
  workspace: string;
  /** Group entity ref: `group:default/storefront`. */
  ownerRef: string;
  /** Who made the first plan (user entity ref), when known. */
  recordedBy?: string;
  /** The task of the first plan, when known. */
  taskId?: string;
  /** ISO time of the record. */
  recordedAt: string;
}

/**
 * What a plan would run, checked but not run (a dry run): the module, the
 * workspace and the variables, sensitive values replaced.
 *
 * @public
 */
export interface TerraformPlanPreview {
  module: string;
  workspace: string;
  /** The checked variables; sensitive ones read "(sensitive value)". */
  variables: Record<string, unknown>;
  destroy: boolean;
}

/**
 * Runs terraform (or tofu) on vetted modules: plan before apply, apply
 * exactly the saved plan, one run at a time per workspace.
 *
 * @public
 */
export interface TerraformRunner {
  /** The vetted modules. */
  listModules(): Promise<TerraformModule[]>;

  /** Plans a module in a workspace and saves the plan. */
  plan(
    request: TerraformPlanRequest,
    options?: TerraformRunOptions,
  ): Promise<TerraformPlan>;

  /**
   * Checks a plan request against the module catalogue (workspace name,
   * module, variables) and says what it would plan, without running
   * terraform or taking the workspace: what a dry run shows.
   */
  previewPlan(request: TerraformPlanRequest): Promise<TerraformPlanPreview>;

  /**
   * Whether the runner has planned in the workspace before: a workspace
   * with plans but no recorded owner predates owner records.
   */
  isWorkspaceKnown(workspace: string): Promise<boolean>;

  /** The workspace's recorded owner, or undefined before its first plan. */
  getWorkspaceOwner(
    workspace: string,
  ): Promise<TerraformWorkspaceOwner | undefined>;

  /**
   * Records the workspace's owning group unless one is recorded already,
   * and returns the recorded owner (the first record wins).
   */
  recordWorkspaceOwner(request: {
    workspace: string;
    ownerRef: string;
    recordedBy?: string;
    taskId?: string;
  }): Promise<TerraformWorkspaceOwner>;

  /** A saved plan, or undefined. */
  getPlan(planId: string): Promise<TerraformPlan | undefined>;

  /**
   * Applies a saved plan, after checking its checksum, its age and the
   * destroy policy, on whichever replica is asked: one without the plan's
   * run directory rebuilds it from the plan saved in the database. Applying
   * an applied plan returns the earlier result; a plan whose apply stopped
   * part way is resumed.
   */
  apply(
    request: TerraformApplyRequest,
    options?: TerraformRunOptions,
  ): Promise<TerraformApplyResult>;

  /** Destroys everything in a workspace. */
  destroy(
    request: TerraformDestroyRequest,
    options?: TerraformRunOptions,
  ): Promise<TerraformApplyResult>;

  /** The workspace's root outputs, sensitive ones included. */
  output(
    request: { workspace: string },
    options?: TerraformRunOptions,
  ): Promise<Record<string, TerraformOutput>>;
}
