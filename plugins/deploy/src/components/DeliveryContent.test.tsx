import { Entity } from '@backstage/catalog-model';
import { discoveryApiRef, fetchApiRef } from '@backstage/frontend-plugin-api';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, waitFor, within } from '@testing-library/react';
import { DeployClient, deployApiRef } from '../api/DeployApi';
import { Deployment, WorkflowRuns } from '../api/types';
import { DeliveryContent } from './DeliveryContent';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'invoice-service',
    annotations: { 'github.com/project-slug': 'kestrel/invoice-service' },
  },
  spec: { type: 'service', owner: 'group:default/storefront' },
};
const ENTITY_REF = 'component:default/invoice-service';
const SHA = '3f2a9c1d4b5e6f708192a3b4c5d6e7f809a1b2c3';

const deployment = (overrides: Partial<Deployment> = {}): Deployment => ({
  id: 'dep-1',
  entityRef: ENTITY_REF,
  environment: 'dev',
  image: `ghcr.io/kestrel/invoice-service:${SHA}`,
  status: 'succeeded',
  workloads: ['Deployment/invoice-service'],
  startedAt: '2026-12-07T11:00:00.000Z',
  finishedAt: '2026-12-07T11:00:04.000Z',
  run: {
    repository: 'kestrel/invoice-service',
    sha: SHA,
    runId: 4711,
    workflow: 'CI',
  },
  ...overrides,
});

/**
 * The deploy backend's HTTP API as contract 3 of issue 11 shapes it,
 * answering at the fetch API: what each path returns, and the requests.
 */
function fakeDeployBackend(answers: {
  deployments: () => { status?: number; body: unknown };
  runs: () => { status?: number; body: unknown };
}) {
  const requests: string[] = [];
  const fetch = async (input: RequestInfo | URL) => {
    const url = new URL(String(input));
    requests.push(`${url.pathname}?${url.searchParams}`);
    const routes: Record<string, () => { status?: number; body: unknown }> = {
      '/api/deploy/deployments': answers.deployments,
      '/api/deploy/runs': answers.runs,
    };
    const answer = routes[url.pathname]?.() ?? {
      status: 404,
      body: { error: { name: 'NotFoundError', message: url.pathname } },
    };
    return new Response(JSON.stringify(answer.body), {
      status: answer.status ?? 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  const discoveryApi = mockApis.discovery({
    baseUrl: 'http://localhost:7007',
  });
  const fetchApi = mockApis.fetch({ baseImplementation: fetch as any });
  const client = new DeployClient({ discoveryApi, fetchApi });
  return {
    requests,
    apis: [
      [deployApiRef, client],
      [discoveryApiRef, discoveryApi],
      [fetchApiRef, fetchApi],
    ] as const,
  };
}

const render = (
  backend: ReturnType<typeof fakeDeployBackend>,
  pollIntervalMs?: number,
) =>
  renderInTestApp(
    <EntityProvider entity={entity}>
      <DeliveryContent pollIntervalMs={pollIntervalMs} />
    </EntityProvider>,
    { apis: backend.apis },
  );

describe('DeliveryContent', () => {
  it("lists the component's deployments and its repository's CI runs, linking each run", async () => {
    const runs: WorkflowRuns = {
      runs: [
        {
          id: 902,
          name: 'CI',
          status: 'completed',
          conclusion: 'failure',
          headSha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
          htmlUrl:
            'https://github.com/kestrel/invoice-service/actions/runs/902',
          createdAt: '2026-12-07T11:10:00.000Z',
        },
        {
          id: 4711,
          name: 'CI',
          status: 'completed',
          conclusion: 'success',
          headSha: SHA,
          htmlUrl:
            'https://github.com/kestrel/invoice-service/actions/runs/4711',
          createdAt: '2026-12-07T10:58:00.000Z',
        },
      ],
    };
    const backend = fakeDeployBackend({
      deployments: () => ({ body: { deployments: [deployment()] } }),
      runs: () => ({ body: runs }),
    });
    await render(backend);

    const row = await screen.findByTestId('deployment-dep-1');
    expect(
      within(row).getByText(`ghcr.io/kestrel/invoice-service:${SHA}`),
    ).toBeInTheDocument();
    expect(within(row).getByText('3f2a9c1')).toBeInTheDocument();
    expect(within(row).getByText('succeeded')).toBeInTheDocument();
    expect(within(row).getByText('dev')).toBeInTheDocument();
    expect(
      within(row).getByText('Deployment/invoice-service'),
    ).toBeInTheDocument();
    expect(within(row).getByText('CI #4711')).toBeInTheDocument();
    expect(within(row).getByText(/./, { selector: 'time' })).toHaveAttribute(
      'datetime',
      '2026-12-07T11:00:04.000Z',
    );

    const failed = await screen.findByTestId('run-902');
    expect(within(failed).getByText('failure')).toBeInTheDocument();
    expect(within(failed).getByText('a1b2c3d')).toBeInTheDocument();
    expect(within(failed).getByRole('link', { name: /^CI/ })).toHaveAttribute(
      'href',
      'https://github.com/kestrel/invoice-service/actions/runs/902',
    );
    const passed = screen.getByTestId('run-4711');
    expect(within(passed).getByText('success')).toBeInTheDocument();

    // Both asked the deploy backend for this entity, through discovery.
    expect(backend.requests).toEqual(
      expect.arrayContaining([
        `/api/deploy/deployments?entityRef=${encodeURIComponent(ENTITY_REF)}`,
        `/api/deploy/runs?entityRef=${encodeURIComponent(ENTITY_REF)}`,
      ]),
    );
  });

  it('says why there are no runs for a repository on the local forge', async () => {
    const reason =
      'kestrel/invoice-service is on the local forge, which runs no CI: publish it to GitHub for workflow runs';
    const backend = fakeDeployBackend({
      deployments: () => ({ body: { deployments: [] } }),
      runs: () => ({ body: { runs: [], reason } }),
    });
    await render(backend);
    expect(await screen.findByText(reason)).toBeInTheDocument();
    expect(screen.getByText('Info: No CI runs to show')).toBeInTheDocument();
    expect(
      screen.getByText(/Nothing deployed through Paved yet/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it("shows the backend's error on the card it concerns and the other card still", async () => {
    const backend = fakeDeployBackend({
      deployments: () => ({ body: { deployments: [deployment()] } }),
      runs: () => ({
        status: 502,
        body: {
          error: {
            name: 'Error',
            message: 'GitHub answered 401 Bad credentials',
          },
          response: { statusCode: 502 },
        },
      }),
    });
    await render(backend);
    expect(
      await screen.findByText('Error: Could not read the CI runs'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('GitHub answered 401 Bad credentials (HTTP 502)'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('deployment-dep-1')).toBeInTheDocument();
  });

  it('shows a deployment made while the tab is open', async () => {
    let deployments: Deployment[] = [];
    const backend = fakeDeployBackend({
      deployments: () => ({ body: { deployments } }),
      runs: () => ({ body: { runs: [] } }),
    });
    await render(backend, 50);
    expect(
      await screen.findByText(/Nothing deployed through Paved yet/),
    ).toBeInTheDocument();
    expect(screen.getByText(/No workflow runs yet/)).toBeInTheDocument();
    deployments = [
      deployment({
        id: 'dep-2',
        status: 'failed',
        image: 'ghcr.io/kestrel/invoice-service:v2',
        run: undefined,
        actor: 'user:default/lena-fischer',
        message:
          'Deployment/invoice-service did not roll out within 5m: 0 of 1 replicas available',
      }),
    ];
    const row = await screen.findByTestId('deployment-dep-2');
    expect(within(row).getByText('failed')).toBeInTheDocument();
    // A person asked, without a CI run or a sha tag: no commit to show.
    expect(
      within(row).getByText('user:default/lena-fischer'),
    ).toBeInTheDocument();
    expect(
      within(row).getByText(/did not roll out within 5m/),
    ).toBeInTheDocument();
    expect(within(row).queryByText(/^[0-9a-f]{7}$/)).not.toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.queryByText(/Nothing deployed through Paved yet/),
      ).not.toBeInTheDocument(),
    );
  });
});
