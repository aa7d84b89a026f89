import { PolicyDecision } from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { OwnershipService } from '@paved/plugin-ownership-node';
import { catalogDecision } from './decisions/catalogDecision';
import { defaultDecision } from './decisions/defaultDecision';
import { pavedDecision } from './decisions/pavedDecision';
import { DENY } from './decisions/results';
import { scaffolderDecision } from './decisions/scaffolderDecision';
import { AreaDecision, PolicyUser } from './decisions/types';
import { Teammates } from './Teammates';

/** Options of {@link PavedPermissionPolicy.create}. */
export type PavedPermissionPolicyOptions = {
  /** The caller's groups (with ancestors) and admin standing. */
  ownership: OwnershipService;
  /** Whose tasks a user may read: the user and the members of their groups. */
  teammates: Teammates;
};

const areas: AreaDecision[] = [
  pavedDecision,
  scaffolderDecision,
  catalogDecision,
];

/**
 * Paved's permission policy (README): everyone signed in reads the
 * catalogue and the templates and runs templates; tasks are for the person
 * who started them, their teammates and the admins; what a group owns is
 * for its members and the admins; dry runs, template management, location
 * deletes and the audit trail are for admins. Admins are the members of
 * `paved.permissions.adminGroups`.
 *
 * Service principals never reach a policy (Backstage's permissions service
 * decides them from their access restrictions); a request with no user
 * (`none`) is denied everything.
 *
 * @public
 */
export class PavedPermissionPolicy implements PermissionPolicy {
  readonly #ownership: OwnershipService;
  readonly #teammates: Teammates;

  static create(options: PavedPermissionPolicyOptions) {
    return new PavedPermissionPolicy(options);
  }

  private constructor(options: PavedPermissionPolicyOptions) {
    this.#ownership = options.ownership;
    this.#teammates = options.teammates;
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!user) return DENY;
    const caller = await this.#ownership.caller(user.credentials);
    if (caller.type !== 'user') return DENY;
    const policyUser: PolicyUser = {
      ...caller,
      teammates: () => this.#teammates.of(caller.userEntityRef),
    };
    for (const area of areas) {
      const decision = await area(request.permission, policyUser);
      if (decision) return decision;
    }
    return defaultDecision(request.permission, policyUser);
  }
}
