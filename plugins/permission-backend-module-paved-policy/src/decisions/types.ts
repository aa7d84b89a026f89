import {
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { PavedCaller } from '@paved/plugin-ownership-node';

/** A signed-in user, as the policy's decisions see them. */
export type PolicyUser = Extract<PavedCaller, { type: 'user' }> & {
  /**
   * The user and the members of the user's own (direct) groups, as user
   * entity refs: whose tasks the user may read and cancel. Loaded only by
   * the decisions that need it.
   */
  teammates(): Promise<string[]>;
};

/**
 * One area's decisions (catalogue, scaffolder, Paved): a decision for the
 * permissions it knows, undefined for the others.
 */
export type AreaDecision = (
  permission: Permission,
  user: PolicyUser,
) => Promise<PolicyDecision | undefined> | PolicyDecision | undefined;
