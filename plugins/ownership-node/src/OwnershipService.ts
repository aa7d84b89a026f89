import { BackstageCredentials } from '@backstage/backend-plugin-api';

/**
 * Who is asking, as Paved's checks see them.
 *
 * `groupRefs` holds every group the user belongs to: the groups the user
 * entity names in `spec.memberOf` and all their ancestors (`spec.parent`),
 * so that a member of `group:default/storefront` whose parent is
 * `group:default/engineering` is also a member of engineering.
 *
 * @public
 */
export type PavedCaller =
  | {
      type: 'user';
      userEntityRef: string;
      groupRefs: string[];
      isAdmin: boolean;
    }
  | {
      type: 'service';
      subject: string;
      groupRefs: [];
      isAdmin: false;
    }
  | { type: 'none'; groupRefs: []; isAdmin: false };

/**
 * A change to a target that a group owns.
 *
 * @public
 */
export type OwnedChange = {
  /** Who is asking: a task's initiator, an HTTP request's caller. */
  credentials: BackstageCredentials;
  /**
   * The owner Paved recorded for the target (namespace label, repository
   * marker, workspace record), as an entity ref or a bare group name.
   * Never the form's owner alone, unless the target does not exist yet.
   */
  ownerRef: string;
  /** What is changed, for the message: `namespace storefront-cart-dev`. */
  target: string;
  /** What the caller wants to do, for the message: `delete`. */
  action: string;
  /**
   * Deleting, archiving or destroying the target (`paved.target.delete`)
   * rather than changing it (`paved.target.change`).
   */
  destructive?: boolean;
};

/**
 * Answers "may this caller change what this group owns?", the one check
 * every Paved driver and endpoint makes before it changes a namespace, a
 * repository or a Terraform workspace.
 *
 * @public
 */
export interface OwnershipService {
  /** The caller behind credentials, with their groups and admin standing. */
  caller(credentials: BackstageCredentials): Promise<PavedCaller>;

  /**
   * The permission policy's answer to `paved.target.change` (or
   * `paved.target.delete` when destructive) for the recorded owner: with
   * Paved's policy, true when the caller is a member of the owning group
   * (directly or through a parent group) or an admin.
   */
  mayChange(change: OwnedChange): Promise<boolean>;

  /**
   * Throws a NotAllowedError naming the caller, the action, the target and
   * its owner when {@link OwnershipService.mayChange} is false.
   */
  assertMayChange(change: OwnedChange): Promise<void>;

  /**
   * The group entity ref of a form's owner field: refuses, with an
   * InputError naming `field`, a ref that is not an existing Group (a
   * user, a typo). Bare names are read as `group:default/<name>`.
   */
  resolveOwnerGroup(ownerRef: string, field: string): Promise<string>;

  /**
   * The users who belong to a group directly or through its child groups,
   * as user entity refs (who is notified, who may approve).
   */
  membersOf(groupRef: string): Promise<string[]>;

  /** Whether people may approve their own requests (paved.permissions.allowSelfApproval). */
  allowsSelfApproval(): boolean;
}
