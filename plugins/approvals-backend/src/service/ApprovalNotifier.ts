import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { ApprovalRequest } from '@paved/plugin-approvals-common';

/**
 * Tells the owning group that a request waits for them, and the requester
 * what was decided. A notification that cannot be sent is logged; the
 * request and the decision stand.
 */
export class ApprovalNotifier {
  readonly #notifications: NotificationService;
  readonly #logger: LoggerService;

  static create(options: {
    notifications: NotificationService;
    logger: LoggerService;
  }) {
    return new ApprovalNotifier(options);
  }

  private constructor(options: {
    notifications: NotificationService;
    logger: LoggerService;
  }) {
    this.#notifications = options.notifications;
    this.#logger = options.logger;
  }

  async requested(request: ApprovalRequest): Promise<void> {
    await this.#send(request, {
      recipients: {
        type: 'entity',
        entityRef: request.ownerRef,
        excludeEntityRef: request.requesterRef,
      },
      payload: {
        title: `Approval requested: ${request.target}`,
        description: `${request.requesterRef} asks ${request.ownerRef} to approve: ${request.summary}`,
        link: `/approvals?request=${encodeURIComponent(request.id)}`,
        severity: 'high',
        topic: 'paved-approvals',
        scope: `approval:${request.id}`,
      },
    });
  }

  async decided(request: ApprovalRequest): Promise<void> {
    const verdict = request.status === 'approved' ? 'approved' : 'rejected';
    await this.#send(request, {
      recipients: { type: 'entity', entityRef: request.requesterRef },
      payload: {
        title: `${request.target}: ${verdict} by ${request.decidedBy}`,
        description: request.reason
          ? `${request.summary} Reason: ${request.reason}`
          : request.summary,
        link: request.taskUrl,
        severity: 'normal',
        topic: 'paved-approvals',
        scope: `approval:${request.id}`,
      },
    });
  }

  async #send(
    request: ApprovalRequest,
    options: Parameters<NotificationService['send']>[0],
  ) {
    try {
      await this.#notifications.send(options);
    } catch (error) {
      this.#logger.warn('Could not send the approval notification', {
        requestId: request.id,
        taskId: request.taskId,
        error: String(error),
      });
    }
  }
}
