import { NotAllowedError } from '@backstage/errors';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { auditChange } from '@paved/plugin-ownership-node';
import { RepositoryTarget } from '@paved/plugin-publish-node';
import type { GitHubActionDeps } from './shared';

/** One change a paved:github:* step makes to a repository. */
export interface RepositoryChange {
  /** The audit event: `repository-protect`, `repository-delete`... */
  eventId: string;
  /** What is done, for the refusal: `protect the default branch of`. */
  action: string;
  /** Archive and delete: `paved.target.delete` rather than change. */
  destructive?: boolean;
  /**
   * Whether a repository without Paved's marker may be changed: opening a
   * pull request proposes a change for the repository's own reviewers, so
   * it needs no ownership; every other step does.
   */
  unmarkedAllowed?: boolean;
}

/** `repository <host>/<owner>/<name>`: the audit trail's target. */
export function repositoryTargetName(target: RepositoryTarget): string {
  return `repository ${target.host}/${target.full}`;
}

/**
 * Wraps a step's change of a repository for its checkpoint: an audited
 * event (`initiated`, then `succeeded` or `failed`), inside which the
 * owner Paved recorded on the repository (its marker topics) is read and
 * the task's initiator must be allowed to change what that group owns. A
 * repository without the marker (Paved did not create it) is refused, a
 * missing one is left to the step (archive and delete report `not-found`).
 */
export function repositoryChange(
  ctx: Pick<
    ActionContext<any, any>,
    'logger' | 'user' | 'task' | 'getInitiatorCredentials'
  >,
  deps: GitHubActionDeps,
  target: RepositoryTarget,
) {
  const name = repositoryTargetName(target);
  return <T>(change: RepositoryChange, fn: () => Promise<T>) =>
    () =>
      auditChange(
        deps.auditor,
        {
          eventId: change.eventId,
          actor: ctx.user?.ref,
          target: name,
          taskId: ctx.task?.id,
          severityLevel: change.destructive ? 'high' : 'medium',
        },
        async () => {
          if (change.unmarkedAllowed) return fn();
          const recorded = await deps.service.recordedOwner(
            { host: target.host, owner: target.owner, name: target.name },
            { logger: ctx.logger },
          );
          if (!recorded.exists) return fn();
          if (!recorded.managed || !recorded.ownerGroup) {
            throw new NotAllowedError(
              `${name} was not created by Paved (it carries no paved-managed marker naming its owner), so Paved will not ${change.action} it`,
            );
          }
          await deps.ownership.assertMayChange({
            credentials: await ctx.getInitiatorCredentials(),
            ownerRef: recorded.ownerGroup,
            target: name,
            action: change.action,
            destructive: change.destructive,
          });
          return fn();
        },
      );
}
