import {
  ApprovalRequest,
  ApprovalsService,
  CreateApprovalRequest,
} from '@paved/plugin-approvals-node';

/**
 * The approvals backend's behaviour in memory: one request per task and
 * plan, decided once. The HTTP client and the backend are tested against
 * each other in approvals-node; the whole loop in the backend's
 * terraformReviewRecovery test.
 */
export class InMemoryApprovals implements ApprovalsService {
  readonly requests = new Map<string, ApprovalRequest>();
  readonly asked: CreateApprovalRequest[] = [];

  async request(request: CreateApprovalRequest): Promise<ApprovalRequest> {
    this.asked.push(request);
    const existing = [...this.requests.values()].find(
      r => r.taskId === request.taskId && r.subjectId === request.subjectId,
    );
    if (existing) return existing;
    const id = `request-${this.requests.size + 1}`;
    const created: ApprovalRequest = {
      ...request,
      id,
      taskUrl: `http://portal.test/create/tasks/${request.taskId}`,
      url: `http://portal.test/approvals?request=${id}`,
      status: 'pending',
      createdAt: new Date().toISOString(),
    };
    this.requests.set(id, created);
    return created;
  }

  async get(id: string) {
    return this.requests.get(id);
  }

  decide(
    id: string,
    status: 'approved' | 'rejected',
    decidedBy: string,
    reason?: string,
  ) {
    const request = this.requests.get(id)!;
    this.requests.set(id, {
      ...request,
      status,
      decidedBy,
      decidedAt: new Date().toISOString(),
      ...(reason && { reason }),
    });
  }
}
