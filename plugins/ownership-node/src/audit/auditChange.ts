import { AuditorService } from '@backstage/backend-plugin-api';

/**
 * What one Paved side effect is, for the audit trail: who, what, on which
 * target, in which task. Every driver action reports its changes (and the
 * refusals of its ownership checks) through this shape, so the trail can be
 * filtered by actor, target and time.
 *
 * @public
 */
export type PavedAuditedChange = {
  /** kebab-case, what happened: `namespace-delete`, `repository-archive`. */
  eventId: string;
  /** The user (or service) the change is done for: `user:default/lena-fischer`. */
  actor: string | undefined;
  /** What was changed, in words a person searches for: `namespace storefront-cart-dev`. */
  target: string;
  /** The scaffolder task that made the change, when one did. */
  taskId?: string;
  /** Destructive changes are `high`, others `medium`. */
  severityLevel?: 'low' | 'medium' | 'high' | 'critical';
  /** Further fields (no secrets). */
  details?: Record<string, string | number | boolean | null>;
};

/**
 * Runs `change` as one audited event: `initiated` before, `succeeded` or
 * `failed` (with the error, a refusal included) after, through Backstage's
 * auditor service. The error is rethrown.
 *
 * @public
 */
export async function auditChange<T>(
  auditor: AuditorService,
  event: PavedAuditedChange,
  change: () => Promise<T>,
): Promise<T> {
  const audited = await auditor.createEvent({
    eventId: event.eventId,
    severityLevel: event.severityLevel ?? 'medium',
    meta: {
      actor: event.actor ?? null,
      target: event.target,
      taskId: event.taskId ?? null,
      ...event.details,
    },
  });
  try {
    const result = await change();
    await audited.success();
    return result;
  } catch (error) {
    await audited.fail({ error: error as Error });
    throw error;
  }
}
