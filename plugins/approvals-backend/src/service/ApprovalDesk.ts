import {
  AuditorService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  ApprovalRequest,
  ApprovalRequestView,
  ApprovalStatus,
  CreateApprovalRequest,
} from '@paved/plugin-approvals-common';
import { auditChange } from '@paved/plugin-ownership-node';
import crypto from 'node:crypto';
import {
  ApprovalStore,
  StoredApprovalRequest,
} from '../database/ApprovalStore';
import { ApprovalNotifier } from './ApprovalNotifier';
import { DecisionRules } from './DecisionRules';
import { TaskResumer } from './TaskResumer';

/** Options of {@link ApprovalDesk.create}. */
export type ApprovalDeskOptions = {
  store: ApprovalStore;
  rules: DecisionRules;
  notifier: ApprovalNotifier;
  resumer: TaskResumer;
  auditor: AuditorService;
  /** The portal's address (`app.baseUrl`), for links to tasks. */
  appBaseUrl: string;
  /** The clock, for tests. */
  now?: () => Date;
};

/** What a decision returns: the decided request and whether its task resumed. */
export type DecisionResult = { request: ApprovalRequest; resumed: boolean };

/**
 * Requests and decisions: asking (once per task and plan), listing what a
 * person may see, and deciding, each side effect audited with the checks
 * inside it so that a refusal is a failed audit event.
 */
export class ApprovalDesk {
  readonly #options: ApprovalDeskOptions;
  readonly #now: () => Date;
  readonly #baseUrl: string;

  static create(options: ApprovalDeskOptions) {
    return new ApprovalDesk(options);
  }

  private constructor(options: ApprovalDeskOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    this.#baseUrl = options.appBaseUrl.replace(/\/+$/, '');
  }

  /** The stored request with its link on the approvals page. */
  #withUrl(request: StoredApprovalRequest): ApprovalRequest {
    return {
      ...request,
      url: `${this.#baseUrl}/approvals?request=${encodeURIComponent(
        request.id,
      )}`,
    };
  }

  async request(
    credentials: BackstageCredentials,
    request: CreateApprovalRequest,
  ): Promise<{ request: ApprovalRequest; created: boolean }> {
    const { store, notifier, auditor } = this.#options;
    const caller = await this.#options.rules.caller(credentials);
    return auditChange(
      auditor,
      {
        eventId: 'approval-request',
        actor: request.requesterRef,
        target: request.target,
        taskId: request.taskId,
        details: {
          kind: request.kind,
          subjectId: request.subjectId,
          ownerRef: request.ownerRef,
          via: caller.type === 'service' ? caller.subject : null,
        },
      },
      async () => {
        const taskUrl = `${this.#baseUrl}/create/tasks/${encodeURIComponent(
          request.taskId,
        )}`;
        const stored = await store.create({
          ...request,
          id: crypto.randomUUID(),
          taskUrl,
        });
        const result = {
          request: this.#withUrl(stored.request),
          created: stored.created,
        };
        if (result.created) await notifier.requested(result.request);
        return result;
      },
    );
  }

  async list(
    credentials: BackstageCredentials,
    filter: { status?: ApprovalStatus; subjectId?: string },
  ): Promise<ApprovalRequestView[]> {
    const requests = await this.#options.store.list(filter);
    return this.#options.rules.views(
      credentials,
      requests.map(r => this.#withUrl(r)),
    );
  }

  /** One request, for a caller who may see it (a NotFoundError otherwise). */
  async get(
    credentials: BackstageCredentials,
    id: string,
  ): Promise<ApprovalRequestView> {
    const request = await this.#find(id);
    const [view] = await this.#options.rules.views(credentials, [request]);
    if (!view) throw new NotFoundError(`No approval request ${id}`);
    return view;
  }

  async decide(
    credentials: BackstageCredentials,
    id: string,
    decision: { status: 'approved' | 'rejected'; reason?: string },
  ): Promise<DecisionResult> {
    const { store, rules, notifier, resumer, auditor } = this.#options;
    const request = await this.#find(id);
    const caller = await rules.caller(credentials);
    const actor =
      caller.type === 'user' ? caller.userEntityRef : `${caller.type} caller`;
    return auditChange(
      auditor,
      {
        eventId:
          decision.status === 'approved'
            ? 'approval-approve'
            : 'approval-reject',
        actor,
        target: request.target,
        taskId: request.taskId,
        details: {
          requestId: id,
          ownerRef: request.ownerRef,
          requesterRef: request.requesterRef,
          reason: decision.reason ?? null,
        },
      },
      async () => {
        await rules.assertMayDecide(credentials, request);
        const decided = await store.decide({
          id,
          status: decision.status,
          decidedBy: actor,
          decidedAt: this.#now(),
          reason: decision.reason,
        });
        if (!decided) {
          const current = await this.#find(id);
          throw new ConflictError(
            `Approval request ${id} was already ${current.status} by ${current.decidedBy} at ${current.decidedAt}; a decision is final`,
          );
        }
        const result = this.#withUrl(decided);
        await notifier.decided(result);
        return {
          request: result,
          resumed: await resumer.resume(result.taskId, credentials),
        };
      },
    );
  }

  async #find(id: string): Promise<ApprovalRequest> {
    const request = await this.#options.store.get(id);
    if (!request) throw new NotFoundError(`No approval request ${id}`);
    return this.#withUrl(request);
  }
}
