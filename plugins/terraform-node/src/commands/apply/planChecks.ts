import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { DatabasePlanStore, PlanRecord } from '../../plans/DatabasePlanStore';
import { formatDuration, listUpTo } from '../../format';

/** A saved plan by id; an InputError or NotFoundError naming `planId`. */
export async function loadPlan(
  plans: DatabasePlanStore,
  planId: unknown,
): Promise<PlanRecord> {
  if (typeof planId !== 'string' || !/^[0-9a-f-]{36}$/.test(planId)) {
    throw new InputError(
      `planId: expected the id of a saved plan (a UUID), got ${JSON.stringify(
        planId,
      )}`,
    );
  }
  const record = await plans.get(planId);
  if (!record) {
    throw new NotFoundError(`planId: no saved plan ${planId}`);
  }
  return record;
}

/** A plan is applied by the task that made it. */
export function checkOwner(record: PlanRecord, owner: string | undefined) {
  if (record.owner && owner !== record.owner) {
    throw new NotAllowedError(
      `planId: plan ${record.planId} belongs to another task; a plan is applied by the task that made it`,
    );
  }
}

export function checkApplicable(record: PlanRecord) {
  if (['discarded', 'expired', 'stale'].includes(record.status)) {
    throw new ConflictError(
      `planId: plan ${record.planId} is ${record.status} and cannot be applied; plan again`,
    );
  }
}

export function checkAge(
  record: PlanRecord,
  options: { now: number; maxAgeMs: number },
) {
  const age = options.now - record.createdAt;
  if (age > options.maxAgeMs) {
    throw new NotAllowedError(
      `planId: plan ${record.planId} was made ${formatDuration(
        age,
      )} ago, longer than the allowed ${formatDuration(
        options.maxAgeMs,
      )} (paved.terraform.planMaxAge); plan again`,
    );
  }
}

export function checkDestroyPolicy(record: PlanRecord, allowDestroy: boolean) {
  const destructive = record.summary.resources.filter(
    r => r.action === 'delete' || r.action === 'replace',
  );
  if (destructive.length && !allowDestroy) {
    throw new NotAllowedError(
      `Plan ${record.planId} would destroy ${
        record.summary.destroy
      } resource(s) (${listUpTo(
        destructive.map(r => `${r.address}: ${r.action}`),
      )}); set allowDestroy to apply it`,
    );
  }
}

/** Terraform reads only plan files its own version wrote. */
export function checkVersion(
  record: PlanRecord,
  binary: { name: string; version: string },
) {
  const planned = record.summary.terraformVersion;
  const { version } = binary;
  if (planned && version !== 'unknown' && planned !== version) {
    throw new ConflictError(
      `planId: plan ${record.planId} was made with ${binary.name} ${planned} and this replica runs ${version}; a plan file applies only with the version that made it, so plan again`,
    );
  }
}
