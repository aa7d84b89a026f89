import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import catalogBackend from '@backstage/plugin-catalog-backend';
import {
  EventsService,
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import {
  WORKSPACE_RESOURCES_TOPIC,
  WorkspaceResourceEvent,
} from '@paved/plugin-terraform-node';
import { catalogModulePavedResources } from './module';

jest.setTimeout(60_000);

const REGISTER: WorkspaceResourceEvent = {
  action: 'register',
  resource: {
    workspace: 'orders-db',
    module: 'postgres-database',
    name: 'orders',
    type: 'database',
    ownerRef: 'group:default/fulfilment',
    componentRef: 'component:default/orders-api',
    description: "orders-api's database",
  },
};

describe('catalogModulePavedResources', () => {
  let events: EventsService;
  let baseUrl: string;

  beforeAll(async () => {
    // A plugin that hands the test the events service the actions use.
    const publisher = createBackendPlugin({
      pluginId: 'publisher',
      register(env) {
        env.registerInit({
          deps: { service: eventsServiceRef },
          async init({ service }) {
            events = service;
          },
        });
      },
    });
    const { server } = await startTestBackend({
      features: [
        catalogBackend,
        catalogModulePavedResources,
        publisher,
        // The real events service (the test backend's default is a mock
        // per plugin): one bus for the publisher and the catalogue.
        eventsServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              processingInterval: { seconds: 1 },
              rules: [{ allow: ['Component', 'Resource', 'Group'] }],
            },
          },
        }),
      ],
    });
    baseUrl = `http://localhost:${server.port()}/api/catalog`;
  });

  async function entity(ref: string) {
    const res = await fetch(`${baseUrl}/entities/by-name/${ref}`, {
      headers: { authorization: mockCredentials.user.header() },
    });
    return res.status === 200 ? res.json() : undefined;
  }

  async function until<T>(what: string, fn: () => Promise<T | undefined>) {
    for (let i = 0; i < 120; i++) {
      const value = await fn();
      if (value !== undefined) return value;
      await new Promise(r => setTimeout(r, 250));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it('registers a workspace as a Resource the component depends on, and a repeated event converges on it', async () => {
    await events.publish({
      topic: WORKSPACE_RESOURCES_TOPIC,
      eventPayload: REGISTER,
    });
    const resource = await until('the Resource', async () => {
      const e = await entity('resource/default/orders-db');
      return e?.relations?.length ? e : undefined;
    });
    expect(resource).toMatchObject({
      kind: 'Resource',
      metadata: {
        name: 'orders-db',
        description: "orders-api's database",
        annotations: {
          'paved.dev/terraform-workspace': 'orders-db',
          'paved.dev/terraform-module': 'postgres-database',
          'paved.dev/terraform-name': 'orders',
        },
      },
      spec: {
        type: 'database',
        owner: 'group:default/fulfilment',
        dependencyOf: ['component:default/orders-api'],
      },
    });
    expect(resource.relations).toEqual(
      expect.arrayContaining([
        { type: 'ownedBy', targetRef: 'group:default/fulfilment' },
        { type: 'dependencyOf', targetRef: 'component:default/orders-api' },
      ]),
    );
    // Sent again (a retried task), the same entity.
    await events.publish({
      topic: WORKSPACE_RESOURCES_TOPIC,
      eventPayload: REGISTER,
    });
    await new Promise(r => setTimeout(r, 1500));
    expect((await entity('resource/default/orders-db')).metadata.uid).toBe(
      resource.metadata.uid,
    );

    await events.publish({
      topic: WORKSPACE_RESOURCES_TOPIC,
      eventPayload: { action: 'unregister', workspace: 'orders-db' },
    });
    await until('the Resource to be gone', async () =>
      (await entity('resource/default/orders-db')) ? undefined : true,
    );
  });

  it('refuses a malformed event, naming the field, and registers nothing', async () => {
    const bad = {
      action: 'register',
      resource: { ...REGISTER.resource, workspace: 'Not A Name' },
    };
    // The events service logs a subscriber's failure; the catalogue is unchanged.
    await events.publish({
      topic: WORKSPACE_RESOURCES_TOPIC,
      eventPayload: bad,
    });
    await new Promise(r => setTimeout(r, 1500));
    const list = await fetch(`${baseUrl}/entities?filter=kind=resource`, {
      headers: { authorization: mockCredentials.user.header() },
    });
    expect(await list.json()).toEqual([]);
  });
});
