import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  ApprovalRequest,
  ApprovalRequestView,
} from '@paved/plugin-approvals-common';
import { pavedApprovalDecidePermission } from '@paved/plugin-ownership-common';
import {
  isOwnedByRule,
  OwnedTarget,
  OwnershipService,
  PavedCaller,
} from '@paved/plugin-ownership-node';

const isAuthorized = createConditionAuthorizer<OwnedTarget, never>([
  isOwnedByRule,
]);

/** Who may see and decide which requests. */
export type DecisionRulesOptions = {
  permissions: PermissionsService;
  ownership: OwnershipService;
};

function describe(caller: PavedCaller): string {
  if (caller.type === 'user') return caller.userEntityRef;
  if (caller.type === 'service') return `service ${caller.subject}`;
  return 'an anonymous caller';
}

/**
 * The two rules of deciding a request: the permission policy allows
 * `paved.approval.decide` on the owner of the request's target (members of
 * the owning group and admins, as the policy answers with IS_OWNED_BY), and
 * the requester does not decide their own request unless
 * `paved.permissions.allowSelfApproval` says so.
 */
export class DecisionRules {
  readonly #permissions: PermissionsService;
  readonly #ownership: OwnershipService;

  static create(options: DecisionRulesOptions) {
    return new DecisionRules(options);
  }

  private constructor(options: DecisionRulesOptions) {
    this.#permissions = options.permissions;
    this.#ownership = options.ownership;
  }

  caller(credentials: BackstageCredentials): Promise<PavedCaller> {
    return this.#ownership.caller(credentials);
  }

  /**
   * The requests the caller may see, each with whether they may decide it:
   * a person sees what the policy lets them decide and what they asked for;
   * a service (the scaffolder waiting on its task) sees every request.
   */
  async views(
    credentials: BackstageCredentials,
    requests: ApprovalRequest[],
  ): Promise<ApprovalRequestView[]> {
    const caller = await this.caller(credentials);
    const decision = await this.#decision(credentials);
    return requests.flatMap(request => {
      const reason = this.#refusal(caller, decision, request);
      const permitted = reason === undefined || reason.selfApproval;
      const visible =
        caller.type === 'service' ||
        permitted ||
        (caller.type === 'user' &&
          caller.userEntityRef === request.requesterRef);
      if (!visible) return [];
      return [
        {
          ...request,
          canDecide: request.status === 'pending' && reason === undefined,
          ...(reason && { cannotDecideReason: reason.message }),
        },
      ];
    });
  }

  /** Throws a NotAllowedError naming the permission or the rule that refuses. */
  async assertMayDecide(
    credentials: BackstageCredentials,
    request: ApprovalRequest,
  ): Promise<void> {
    const caller = await this.caller(credentials);
    const decision = await this.#decision(credentials);
    const reason = this.#refusal(caller, decision, request);
    if (reason) throw new NotAllowedError(reason.message);
  }

  async #decision(credentials: BackstageCredentials): Promise<PolicyDecision> {
    const [decision] = await this.#permissions.authorizeConditional(
      [{ permission: pavedApprovalDecidePermission }],
      { credentials },
    );
    return decision;
  }

  #refusal(
    caller: PavedCaller,
    decision: PolicyDecision,
    request: ApprovalRequest,
  ): { message: string; selfApproval: boolean } | undefined {
    const who = describe(caller);
    const allowed =
      decision.result === AuthorizeResult.ALLOW ||
      (decision.result === AuthorizeResult.CONDITIONAL &&
        isAuthorized(decision, { ownerRef: request.ownerRef }));
    if (caller.type !== 'user' || !allowed) {
      return {
        selfApproval: false,
        message:
          `${who} may not decide approval request ${request.id} (${request.target}): ` +
          `the policy refused ${pavedApprovalDecidePermission.name}; it is owned by ${request.ownerRef}, ` +
          `and only a person who is a member of that group or an admin decides it`,
      };
    }
    if (
      caller.userEntityRef === request.requesterRef &&
      !this.#ownership.allowsSelfApproval()
    ) {
      return {
        selfApproval: true,
        message:
          `${who} may not decide approval request ${request.id} (${request.target}): ` +
          `they asked for it, and another member of ${request.ownerRef} must decide ` +
          `(paved.permissions.allowSelfApproval is false)`,
      };
    }
    return undefined;
  }
}
