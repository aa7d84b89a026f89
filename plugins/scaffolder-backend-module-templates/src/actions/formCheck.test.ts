import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DefaultLocalForge,
  ForgeUrls,
  LocalForgeRepositoryPublisher,
} from '@paved/plugin-forge-node';
import {
  TEST_GROUPS,
  TEST_USERS,
  declaredOutputs,
  exampleInput,
  runAction,
  testOrganisation,
  testOwnership,
} from '@paved/testkit';
import { createFormCheckAction } from './formCheck';
import { examples } from './formCheck.examples';

/** A component of the catalogue, owned as the catalogue records it. */
function component(name: string, owner: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type: 'service', lifecycle: 'production', owner },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
}

const entities = [
  ...testOrganisation(),
  component('cart', TEST_GROUPS.teamA),
  component('parcels', TEST_GROUPS.teamB),
];

describe('paved:form:check', () => {
  const dir = createMockDirectory();
  let forge: DefaultLocalForge;
  const action = () =>
    createFormCheckAction({
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      ownership: testOwnership({ entities }),
      publishers: [LocalForgeRepositoryPublisher.create({ forge })],
      config: mockServices.rootConfig({ data: {} }),
    });

  beforeEach(() => {
    dir.clear();
    forge = DefaultLocalForge.create({
      directory: dir.resolve('forge'),
      urls: ForgeUrls.forBackend('http://localhost:7007'),
      logger: mockServices.logger.mock(),
    });
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example as a member of the owning team: %s',
    async (_, example) => {
      const run = await runAction(action(), exampleInput(example), {
        user: TEST_USERS.teamA,
      });
      expect(run.error).toBeUndefined();
      expect(Object.keys(run.outputs).sort()).toEqual(
        declaredOutputs(action()),
      );
      expect(run.outputs.checked.length).toBeGreaterThan(0);
    },
  );

  it('passes a free name, a new repository and a group the caller is in', async () => {
    const run = await runAction(
      action(),
      {
        name: 'invoice-service',
        owner: 'storefront',
        repoUrl: 'github.com?owner=kestrel&repo=invoice-service',
      },
      { user: TEST_USERS.teamAMate },
    );
    expect(run.error).toBeUndefined();
    expect(run.outputs.checked).toEqual(['name', 'owner', 'repoUrl']);
    expect(run.lines).toContain(
      "info: The form's name, owner, repoUrl passed the checks",
    );
  });

  it('refuses a name the catalogue holds, naming the field and the entity', async () => {
    const run = await runAction(
      action(),
      { name: 'cart', owner: TEST_GROUPS.teamA },
      { user: TEST_USERS.teamA },
    );
    expect(run.error?.name).toBe('InputError');
    expect(run.error?.message).toMatch(
      /name: "cart" is taken: the catalogue already holds component:default\/cart/,
    );
    expect(run.error?.message).not.toMatch(/owner:/);
  });

  it('checks the name against the kind the template creates', async () => {
    const run = await runAction(
      action(),
      { name: 'cart', kind: 'Resource' },
      { user: TEST_USERS.teamA },
    );
    expect(run.error).toBeUndefined();
  });

  it('refuses an owner that is a user, and one that is no entity', async () => {
    const asUser = await runAction(
      action(),
      { owner: TEST_USERS.teamA },
      { user: TEST_USERS.teamA },
    );
    expect(asUser.error?.name).toBe('InputError');
    expect(asUser.error?.message).toMatch(
      /owner: must be a group .* user:default\/lena-fischer, which is not a group; expected a catalogue group/,
    );
    const unknown = await runAction(
      action(),
      { owner: 'group:default/nobody' },
      { user: TEST_USERS.teamA },
    );
    expect(unknown.error?.message).toMatch(
      /owner: must be a group of the catalogue, got group:default\/nobody/,
    );
  });

  it('refuses a caller who is not in the owner group, and lets an admin through', async () => {
    const refused = await runAction(
      action(),
      { owner: TEST_GROUPS.teamA },
      { user: TEST_USERS.teamB },
    );
    expect(refused.error?.name).toBe('NotAllowedError');
    expect(refused.error?.message).toMatch(
      /owner: you do not belong to group:default\/storefront; expected a group you are a member of/,
    );
    expect(refused.store.size).toBe(0);
    const admin = await runAction(
      action(),
      { owner: TEST_GROUPS.teamA },
      { user: TEST_USERS.admin },
    );
    expect(admin.error).toBeUndefined();
  });

  it("refuses another team's component and a component that does not exist", async () => {
    const other = await runAction(
      action(),
      { component: 'parcels' },
      { user: TEST_USERS.teamA },
    );
    expect(other.error?.name).toBe('NotAllowedError');
    expect(other.error?.message).toMatch(
      /component: component:default\/parcels is owned by group:default\/fulfilment, which is not one of your teams/,
    );
    const missing = await runAction(
      action(),
      { component: 'component:default/ghost' },
      { user: TEST_USERS.teamA },
    );
    expect(missing.error?.message).toMatch(
      /component: the catalogue holds no component:default\/ghost/,
    );
    const notComponent = await runAction(
      action(),
      { component: TEST_GROUPS.teamA },
      { user: TEST_USERS.teamA },
    );
    expect(notComponent.error?.message).toMatch(
      /component: group:default\/storefront is not a component/,
    );
  });

  it('refuses a repository that exists on the forge, and a repoUrl that does not parse', async () => {
    const publisher = LocalForgeRepositoryPublisher.create({ forge });
    const ref = { host: 'github.com', owner: 'kestrel', name: 'cart' };
    await publisher.createRepository({
      ...ref,
      ownerGroup: TEST_GROUPS.teamA,
    });
    const content = createMockDirectory({ content: { 'README.md': '# cart' } });
    await publisher.pushInitialContent({
      ...ref,
      sourceDir: content.path,
      branch: 'main',
    });
    const taken = await runAction(
      action(),
      { repoUrl: 'github.com?owner=kestrel&repo=cart' },
      { user: TEST_USERS.teamA },
    );
    expect(taken.error?.message).toMatch(
      /repoUrl: the repository kestrel\/cart already exists on the local forge/,
    );
    const unreadable = await runAction(
      action(),
      { repoUrl: 'github.com?owner=kestrel' },
      { user: TEST_USERS.teamA },
    );
    expect(unreadable.error?.message).toMatch(
      /^The form cannot be used .*repoUrl:/,
    );
  });

  it('names every failing field at once and creates nothing', async () => {
    const run = await runAction(
      action(),
      {
        name: 'cart',
        owner: TEST_USERS.teamB,
        repoUrl: 'github.com?owner=kestrel&repo=bad name',
        component: 'parcels',
      },
      { user: TEST_USERS.teamA },
    );
    expect(run.error?.name).toBe('NotAllowedError');
    for (const field of ['name', 'owner', 'repoUrl', 'component']) {
      expect(run.error?.message).toContain(`${field}:`);
    }
    expect(run.outputs).toEqual({});
    expect(await forge.listRepositories()).toEqual([]);
  });

  it('remembers a passed check, so a retried task is not refused what its own first run created', async () => {
    const input = { name: 'checkout', owner: TEST_GROUPS.teamA };
    const first = await runAction(action(), input, { user: TEST_USERS.teamA });
    expect(first.error).toBeUndefined();
    const later = createFormCheckAction({
      catalog: catalogServiceMock({
        entities: [...entities, component('checkout', TEST_GROUPS.teamA)],
      }),
      auth: mockServices.auth(),
      ownership: testOwnership({ entities }),
      publishers: [LocalForgeRepositoryPublisher.create({ forge })],
      config: mockServices.rootConfig({ data: {} }),
    });
    const retried = await runAction(later, input, {
      user: TEST_USERS.teamA,
      store: first.store,
    });
    expect(retried.error).toBeUndefined();
    const fresh = await runAction(later, input, { user: TEST_USERS.teamA });
    expect(fresh.error?.message).toMatch(/name: "checkout" is taken/);
  });

  it('checks in a dry run too, writing nothing', async () => {
    const run = await runAction(
      action(),
      { owner: TEST_GROUPS.teamB },
      { user: TEST_USERS.teamA, isDryRun: true },
    );
    expect(run.error?.message).toMatch(/owner: you do not belong/);
    expect(action().supportsDryRun).toBe(true);
  });
});
