import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ApprovalRequest,
  ApprovalRequestView,
  ApprovalStatus,
} from '@paved/plugin-approvals-common';

/**
 * The approvals API for the signed-in person: what they may see, and their
 * decisions.
 *
 * @public
 */
export interface ApprovalsApi {
  list(filter?: { status?: ApprovalStatus }): Promise<ApprovalRequestView[]>;
  approve(id: string): Promise<ApprovalRequest>;
  reject(id: string, reason: string): Promise<ApprovalRequest>;
}

/** @public */
export const approvalsApiRef = createApiRef<ApprovalsApi>({
  id: 'plugin.approvals.api',
});

/**
 * {@link ApprovalsApi} over `/api/approvals`, with the person's token.
 *
 * @public
 */
export class ApprovalsClient implements ApprovalsApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  async list(
    filter: { status?: ApprovalStatus } = {},
  ): Promise<ApprovalRequestView[]> {
    const query = filter.status ? `?status=${filter.status}` : '';
    const body = await this.#call(`/requests${query}`);
    return body.items;
  }

  async approve(id: string): Promise<ApprovalRequest> {
    const body = await this.#call(
      `/requests/${encodeURIComponent(id)}/approve`,
      {},
    );
    return body.request;
  }

  async reject(id: string, reason: string): Promise<ApprovalRequest> {
    const body = await this.#call(
      `/requests/${encodeURIComponent(id)}/reject`,
      { reason },
    );
    return body.request;
  }

  async #call(path: string, body?: object) {
    const baseUrl = await this.#discoveryApi.getBaseUrl('approvals');
    const response = await this.#fetchApi.fetch(`${baseUrl}${path}`, {
      method: body ? 'POST' : 'GET',
      ...(body && {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.json();
  }
}
