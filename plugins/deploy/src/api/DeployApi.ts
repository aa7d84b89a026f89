import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { Deployment, WorkflowRuns } from './types';

/**
 * What the Delivery tab reads from the deploy backend, as the signed-in
 * person.
 *
 * @public
 */
export interface DeployApi {
  /** The CI runs of the entity's repository, newest first. */
  listRuns(entityRef: string): Promise<WorkflowRuns>;
  /** The entity's deployments, newest first. */
  listDeployments(entityRef: string): Promise<Deployment[]>;
}

/** @public */
export const deployApiRef = createApiRef<DeployApi>({
  id: 'plugin.deploy.api',
});

/**
 * {@link DeployApi} over `/api/deploy`, with the person's token.
 *
 * @public
 */
export class DeployClient implements DeployApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  async listRuns(entityRef: string): Promise<WorkflowRuns> {
    const body = await this.#get('/runs', entityRef);
    return {
      runs: body.runs ?? [],
      ...(body.reason && { reason: body.reason }),
    };
  }

  async listDeployments(entityRef: string): Promise<Deployment[]> {
    const body = await this.#get('/deployments', entityRef);
    return body.deployments;
  }

  async #get(path: string, entityRef: string) {
    const baseUrl = await this.#discoveryApi.getBaseUrl('deploy');
    const query = new URLSearchParams({ entityRef });
    const response = await this.#fetchApi.fetch(`${baseUrl}${path}?${query}`);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.json();
  }
}
