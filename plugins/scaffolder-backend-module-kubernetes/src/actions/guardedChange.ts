import { AuditorService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import {
  KubernetesProvisioner,
  NamespaceState,
  PAVED_LABELS,
  namespaceNameFor,
} from '@paved/plugin-kubernetes-node';
import { OwnershipService, auditChange } from '@paved/plugin-ownership-node';

const PAVED_OWNER_LABEL = PAVED_LABELS.owner;

/** The services every paved:kubernetes:* action checks and reports through. */
export interface KubernetesActionOptions {
  provisioner: KubernetesProvisioner;
  /** Decides whether the task's initiator may change a namespace's owner's things. */
  ownership: OwnershipService;
  /** Where each side effect (and each refusal) is reported. */
  auditor: AuditorService;
}

/** What the caller asks to do to the namespace of a component's environment. */
export interface NamespaceChange {
  cluster: string;
  component: string;
  environment: string;
  /** For the refusal: `apply manifests to`, `delete`... */
  action: string;
  /** Deleting the namespace (`paved.target.delete`). */
  destructive?: boolean;
  /**
   * The form's owner, which counts only while the namespace does not exist
   * yet (provisioning): then the caller must be allowed to change what that
   * group owns. Once it exists, only the owner recorded on it counts.
   */
  formOwner?: string;
}

/** What the ownership check uses of the action context. */
export type CallerContext = Pick<
  ActionContext<any, any>,
  'getInitiatorCredentials'
>;

/**
 * Refuses unless the task's initiator may change the namespace: as owned by
 * the group its owner label records when it exists (and only if Paved
 * provisioned it for this component and environment), or, before it exists,
 * as owned by the form's owner, which must be a catalogue Group. Reads the
 * namespace (one request, never a write); returns it, undefined when there
 * is none.
 */
export async function assertMayChangeNamespace(
  ctx: CallerContext,
  options: Pick<KubernetesActionOptions, 'provisioner' | 'ownership'>,
  change: NamespaceChange,
): Promise<NamespaceState | undefined> {
  const { cluster, component, environment, action, destructive } = change;
  const { provisioner, ownership } = options;
  const namespace = namespaceNameFor(component, environment);
  const credentials = await ctx.getInitiatorCredentials();
  const target = `namespace ${namespace}`;
  // Validated first, so a bad owner is refused naming the field whether or not the namespace exists.
  const formOwnerRef =
    change.formOwner !== undefined
      ? await ownership.resolveOwnerGroup(change.formOwner, 'owner')
      : undefined;
  const live = await provisioner.getNamespace({
    cluster,
    component,
    environment,
  });
  if (live) {
    if (!live.provisioned || !live.owner) {
      const why =
        live.foreign ??
        `has no owner label (${PAVED_OWNER_LABEL}), so no group owns it`;
      throw new NotAllowedError(
        `Namespace "${namespace}" on cluster "${cluster}" ${why}; Paved changes only the namespaces it provisioned for component "${component}" in environment "${environment}"`,
      );
    }
    await ownership.assertMayChange({
      credentials,
      ownerRef: `group:default/${live.owner}`,
      target,
      action,
      destructive,
    });
    return live;
  }
  if (formOwnerRef) {
    await ownership.assertMayChange({
      credentials,
      ownerRef: formOwnerRef,
      target,
      action,
      destructive,
    });
  }
  return undefined;
}

/** What the audit event of one action run is about. */
export interface AuditedStep {
  /** `namespace-provision`, `manifest-apply`, `rollout-read`, `namespace-delete`. */
  eventId: string;
  namespace: string;
  cluster: string;
  destructive?: boolean;
}

/**
 * Runs an action's side effect as one audited event (actor: the task's
 * user; target: `namespace <name>`), with its ownership check inside, so a
 * refusal is reported as a failed event.
 */
export function audited<T>(
  ctx: Pick<ActionContext<any, any>, 'user' | 'task'>,
  auditor: AuditorService,
  step: AuditedStep,
  fn: () => Promise<T>,
): Promise<T> {
  return auditChange(
    auditor,
    {
      eventId: step.eventId,
      actor: ctx.user?.ref,
      target: `namespace ${step.namespace}`,
      taskId: ctx.task?.id,
      severityLevel: step.destructive ? 'high' : 'medium',
      details: { cluster: step.cluster },
    },
    fn,
  );
}
