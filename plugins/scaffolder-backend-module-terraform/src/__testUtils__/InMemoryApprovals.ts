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
  /** Whether forSubject finds every plan approved (a fixture for tests of apply itself). */
  approveEveryPlan: boolean;

  constructor(options: { approveEveryPlan?: boolean } = {}) {
    this.approveEveryPlan = options.approveEveryPlan ?? false;
  }

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

  async forSubject(subjectId: string): Promise<ApprovalRequest[]> {
    const asked = [...this.requests.values()]
      .filter(r => r.subjectId === subjectId)
      .reverse();
    if (asked.length > 0 || !this.approveEveryPlan) return asked;
    return [
      {
        id: `fixture-${subjectId}`,
        taskId: 'task',
        stepId: 'review',
        kind: 'terraform-plan',
        subjectId,
        target: 'terraform workspace',
        ownerRef: 'group:default/fulfilment',
        requesterRef: 'user:default/jonas-weber',
        summary: '',
        taskUrl: '',
        url: '',
        status: 'approved',
        decidedBy: 'user:default/ana-silva',
        decidedAt: new Date().toISOString(),
        createdAt: new Date().toISOString(),
      },
    ];
  }

  /** A plan approved as a teammate would approve it, for tests of apply. */
  async approve(planId: string, decidedBy = 'user:default/marcus-okafor') {
    const existing = (await this.forSubject(planId))[0];
    const request =
      existing ??
      (await this.request({
        taskId: 'task',
        stepId: 'review',
        kind: 'terraform-plan',
        subjectId: planId,
        target: 'terraform workspace',
        ownerRef: 'group:default/storefront',
        requesterRef: 'user:default/lena-fischer',
        summary: '',
      }));
    this.decide(request.id, 'approved', decidedBy);
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
