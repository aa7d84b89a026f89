import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ApprovalRequest,
  CreateApprovalRequest,
} from '@paved/plugin-approvals-common';
import { ApprovalsService } from './ApprovalsService';

/** Options of {@link DefaultApprovalsService.create}. @public */
export type DefaultApprovalsServiceOptions = {
  discovery: DiscoveryService;
  auth: AuthService;
};

/**
 * The approvals backend over HTTP (`/api/approvals`), called with the
 * calling plugin's own service credentials.
 *
 * @public
 */
export class DefaultApprovalsService implements ApprovalsService {
  readonly #discovery: DiscoveryService;
  readonly #auth: AuthService;

  static create(options: DefaultApprovalsServiceOptions) {
    return new DefaultApprovalsService(options);
  }

  private constructor(options: DefaultApprovalsServiceOptions) {
    this.#discovery = options.discovery;
    this.#auth = options.auth;
  }

  async request(request: CreateApprovalRequest): Promise<ApprovalRequest> {
    const response = await this.#fetch('/requests', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as ApprovalRequest;
  }

  async get(id: string): Promise<ApprovalRequest | undefined> {
    const response = await this.#fetch(
      `/requests/${encodeURIComponent(id)}`,
      {},
    );
    if (response.status === 404) return undefined;
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as ApprovalRequest;
  }

  async forSubject(subjectId: string): Promise<ApprovalRequest[]> {
    const response = await this.#fetch(
      `/requests?subjectId=${encodeURIComponent(subjectId)}`,
      {},
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return ((await response.json()) as { items: ApprovalRequest[] }).items;
  }

  async #fetch(path: string, init: RequestInit): Promise<Response> {
    const baseUrl = await this.#discovery.getBaseUrl('approvals');
    const { token } = await this.#auth.getPluginRequestToken({
      onBehalfOf: await this.#auth.getOwnServiceCredentials(),
      targetPluginId: 'approvals',
    });
    return fetch(`${baseUrl}${path}`, {
      ...init,
      headers: { ...init.headers, authorization: `Bearer ${token}` },
    });
  }
}
