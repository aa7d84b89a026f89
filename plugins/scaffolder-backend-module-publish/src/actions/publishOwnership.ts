import { InputError, NotAllowedError } from '@backstage/errors';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { OwnershipService } from '@paved/plugin-ownership-node';
import { RepositoryPublisher, RepositoryRef } from '@paved/plugin-publish-node';

/** What the ownership check of a publish run needs. */
export interface PublishOwnershipRequest {
  ctx: Pick<
    ActionContext<{ owner?: string }, any>,
    'input' | 'logger' | 'getInitiatorCredentials'
  >;
  ownership: OwnershipService;
  publisher: RepositoryPublisher;
  ref: Required<RepositoryRef>;
  /** `repository <host>/<owner>/<name>`, for messages and the audit trail. */
  target: string;
}

/**
 * The group to record as the repository's owner, after checking that the
 * task's initiator may change what that group owns. An existing repository
 * counts only with its recorded owner (Paved's marker), whatever the form
 * says; one without the marker is refused unless it is empty (what a run
 * that crashed before recording the marker leaves). A new repository's
 * owner is the form's `owner`, which must be a catalogue group the
 * initiator belongs to (or the initiator an admin).
 */
export async function ownerToRecord(
  request: PublishOwnershipRequest,
): Promise<string> {
  const { ctx, ownership, publisher, ref, target } = request;
  const credentials = await ctx.getInitiatorCredentials();
  const recorded = await publisher.recordedOwner(ref, { logger: ctx.logger });
  if (recorded.managed && recorded.ownerGroup) {
    await ownership.assertMayChange({
      credentials,
      ownerRef: recorded.ownerGroup,
      target,
      action: 'publish to',
    });
    return recorded.ownerGroup;
  }
  if (recorded.exists && !recorded.empty) {
    throw new NotAllowedError(
      `${target} exists and Paved did not create it (it carries no Paved marker naming its owner): paved:publish will not publish into it`,
    );
  }
  if (!ctx.input.owner) {
    throw new InputError(
      `owner: required to create ${target}: the catalogue group that will own it, e.g. group:default/storefront`,
    );
  }
  const ownerGroup = await ownership.resolveOwnerGroup(
    ctx.input.owner,
    'owner',
  );
  await ownership.assertMayChange({
    credentials,
    ownerRef: ownerGroup,
    target,
    action: 'create',
  });
  return ownerGroup;
}
