import {
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError, NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  pavedTargetChangePermission,
  pavedTargetDeletePermission,
} from '@paved/plugin-ownership-common';
import { isOwnedByRule, OwnedTarget } from './isOwnedByRule';
import { CatalogGroupGraph } from './CatalogGroupGraph';
import { groupRefOf } from './groupRefOf';
import { OwnedChange, OwnershipService, PavedCaller } from './OwnershipService';

const isAuthorized = createConditionAuthorizer<OwnedTarget, never>([
  isOwnedByRule,
]);

/** The admin group when `paved.permissions.adminGroups` is not set. */
export const DEFAULT_ADMIN_GROUPS = ['group:default/platform'];

/** Options of {@link DefaultOwnershipService.create}. */
export type DefaultOwnershipServiceOptions = {
  catalog: CatalogService;
  auth: AuthService;
  /** Decides through the permission policy (`paved.target.change` / `.delete`). */
  permissions: PermissionsService;
  /** Group refs or names whose members are admins. */
  adminGroups?: string[];
  /** Whether a requester may approve their own request (default false). */
  allowSelfApproval?: boolean;
  /** How long catalogue answers are reused, in milliseconds (default 5000). */
  cacheTtlMs?: number;
  /**
   * Whether a service caller (another plugin, an external-access token)
   * may change what a group owns. Backstage's permissions service allows
   * service principals everything their access restrictions allow without
   * asking the policy; a service belongs to no group, so Paved refuses it
   * unless permissions are off (`permission.enabled: false`, the default
   * of `fromConfig`). Default false.
   */
  servicesMayChange?: boolean;
};

/**
 * Ownership read from the catalogue: a user's groups (with their
 * ancestors) against the owner Paved recorded for a target, and the admin
 * groups of `paved.permissions`.
 *
 * @public
 */
export class DefaultOwnershipService implements OwnershipService {
  readonly #graph: CatalogGroupGraph;
  readonly #adminGroups: Set<string>;
  readonly #allowSelfApproval: boolean;
  readonly #permissions: PermissionsService;
  readonly #servicesMayChange: boolean;

  static create(options: DefaultOwnershipServiceOptions) {
    return new DefaultOwnershipService(options);
  }

  static fromConfig(
    config: Config,
    options: Omit<
      DefaultOwnershipServiceOptions,
      'adminGroups' | 'allowSelfApproval'
    >,
  ) {
    const permissions = config.getOptionalConfig('paved.permissions');
    return new DefaultOwnershipService({
      ...options,
      adminGroups:
        permissions?.getOptionalStringArray('adminGroups') ??
        DEFAULT_ADMIN_GROUPS,
      allowSelfApproval:
        permissions?.getOptionalBoolean('allowSelfApproval') ?? false,
      servicesMayChange: !config.getOptionalBoolean('permission.enabled'),
    });
  }

  private constructor(options: DefaultOwnershipServiceOptions) {
    this.#graph = new CatalogGroupGraph({
      catalog: options.catalog,
      auth: options.auth,
      ttlMs: options.cacheTtlMs,
    });
    this.#adminGroups = new Set(
      (options.adminGroups ?? DEFAULT_ADMIN_GROUPS)
        // an unset PAVED_ADMIN_GROUP in production is an empty entry: no admin
        .filter(group => group.trim() !== '')
        .map(groupRefOf),
    );
    this.#allowSelfApproval = options.allowSelfApproval ?? false;
    this.#permissions = options.permissions;
    this.#servicesMayChange = options.servicesMayChange ?? false;
  }

  async caller(credentials: BackstageCredentials): Promise<PavedCaller> {
    const principal = credentials.principal as {
      type?: string;
      userEntityRef?: string;
      subject?: string;
    };
    if (principal.type === 'service') {
      return {
        type: 'service',
        subject: principal.subject ?? 'unknown',
        groupRefs: [],
        isAdmin: false,
      };
    }
    if (principal.type !== 'user' || !principal.userEntityRef) {
      return { type: 'none', groupRefs: [], isAdmin: false };
    }
    const userEntityRef = principal.userEntityRef.toLocaleLowerCase('en-US');
    const groupRefs = await this.#graph.groupsOf(userEntityRef);
    return {
      type: 'user',
      userEntityRef,
      groupRefs,
      isAdmin: groupRefs.some(ref => this.#adminGroups.has(ref)),
    };
  }

  async #policyAllows(change: OwnedChange): Promise<boolean> {
    const permission = change.destructive
      ? pavedTargetDeletePermission
      : pavedTargetChangePermission;
    const [decision] = await this.#permissions.authorizeConditional(
      [{ permission }],
      { credentials: change.credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return true;
    if (decision.result === AuthorizeResult.DENY) return false;
    return isAuthorized(decision, { ownerRef: change.ownerRef });
  }

  async mayChange(change: OwnedChange): Promise<boolean> {
    if (
      !this.#servicesMayChange &&
      change.credentials.principal &&
      (change.credentials.principal as { type?: string }).type === 'service'
    ) {
      return false;
    }
    return this.#policyAllows(change);
  }

  async assertMayChange(change: OwnedChange): Promise<void> {
    if (await this.mayChange(change)) return;
    const caller = await this.caller(change.credentials);
    const who = describeCaller(caller);
    const permission = change.destructive
      ? pavedTargetDeletePermission
      : pavedTargetChangePermission;
    const why =
      caller.type === 'service'
        ? `a service belongs to no group, so ${permission.name} is for users only`
        : `the policy refused ${permission.name} to ${who}, who is neither a member of that group nor an admin`;
    throw new NotAllowedError(
      `${who} may not ${change.action} ${
        change.target
      }: it is owned by ${groupRefOf(change.ownerRef)}, and ${why}`,
    );
  }

  async resolveOwnerGroup(ownerRef: string, field: string): Promise<string> {
    let ref: string;
    try {
      ref = groupRefOf(ownerRef);
    } catch {
      throw new InputError(
        `${field} must name a group (group:default/<name> or <name>), got "${ownerRef}"`,
      );
    }
    if (!ref.startsWith('group:')) {
      throw new InputError(
        `${field} must be a group that owns things, got ${ref}, which is not a group`,
      );
    }
    const kind = await this.#graph.kindOf(ref);
    if (kind !== 'group') {
      throw new InputError(
        `${field} must be a group of the catalogue, got ${ref}, which the catalogue does not hold`,
      );
    }
    return ref;
  }

  membersOf(groupRef: string): Promise<string[]> {
    return this.#graph.membersOf(groupRefOf(groupRef));
  }

  allowsSelfApproval(): boolean {
    return this.#allowSelfApproval;
  }
}

function describeCaller(caller: PavedCaller): string {
  if (caller.type === 'user') return caller.userEntityRef;
  if (caller.type === 'service') return `service ${caller.subject}`;
  return 'an anonymous caller';
}
