import { Entity } from '@backstage/catalog-model';
import { discoveryApiRef, fetchApiRef } from '@backstage/frontend-plugin-api';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { cleanup, screen } from '@testing-library/react';
import deployPlugin from './index';

const component = (
  name: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, annotations },
  spec: { type: 'service', lifecycle: 'experimental', owner: 'platform' },
});

const entities = [
  component('on-github', { 'github.com/project-slug': 'kestrel/on-github' }),
  component('on-the-forge', {
    'backstage.io/source-location':
      'url:http://localhost:7007/api/forge/kestrel/on-the-forge/tree/main/',
    'backstage.io/kubernetes-id': 'on-the-forge',
  }),
  // A sample component: workloads, but no repository Paved knows.
  component('sample', { 'backstage.io/kubernetes-id': 'sample' }),
];

/** The catalogue's entity page with the deploy plugin installed, as the app has it. */
async function openEntityPage(name: string, tab = '') {
  const fetch = async () =>
    new Response(JSON.stringify({ deployments: [], runs: [] }), {
      headers: { 'content-type': 'application/json' },
    });
  renderTestApp({
    features: [catalogPlugin, deployPlugin],
    initialRouteEntries: [`/catalog/default/component/${name}${tab}`],
    apis: [
      catalogApiMock({ entities }),
      [discoveryApiRef, mockApis.discovery()],
      [fetchApiRef, mockApis.fetch({ baseImplementation: fetch as any })],
    ],
  });
  // The header shows once the entity loaded, and with it the tabs (links).
  await screen.findByRole('link', { name: 'Overview' }, { timeout: 10_000 });
}

describe('deployPlugin', () => {
  it.each(['on-github', 'on-the-forge'])(
    "adds a Delivery tab to %s's entity page, showing its deliveries",
    async name => {
      await openEntityPage(name);
      expect(screen.getByRole('link', { name: 'Delivery' })).toHaveAttribute(
        'href',
        `/catalog/default/component/${name}/delivery`,
      );
      cleanup();
      await openEntityPage(name, '/delivery');
      expect(
        await screen.findByText(
          /Nothing deployed through Paved yet/,
          undefined,
          {
            timeout: 10_000,
          },
        ),
      ).toBeInTheDocument();
    },
  );

  it('adds none to a component without a repository', async () => {
    await openEntityPage('sample');
    expect(
      screen.queryByRole('link', { name: 'Delivery' }),
    ).not.toBeInTheDocument();
  });
});
