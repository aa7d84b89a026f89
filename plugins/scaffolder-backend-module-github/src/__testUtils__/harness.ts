import {
  ServiceFactoryTester,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  TemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import {
  GitHubRepoService,
  gitHubRepoServiceFactory,
  markerTopicsOf,
} from '@paved/plugin-github-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  GitHubTestServer,
  TEST_GROUPS,
  TEST_USERS,
  runAction as runTestAction,
  startGitHubTestServer,
  testOrganisation,
  testOwnership,
} from '@paved/testkit';
import { scaffolderModulePavedGitHub } from '../module';

export { declaredOutputs, exampleInput } from '@paved/testkit';

/**
 * Runs an action as a task of team A's lena-fischer (the owner the
 * repositories of these tests record), unless the options name a user.
 */
export const runAction: typeof runTestAction = (action, input, options) =>
  runTestAction(action, input, { user: TEST_USERS.teamA, ...options });

/** The marker topics of a repository Paved created for team A. */
export const TEAM_A_MARKER = markerTopicsOf(TEST_GROUPS.teamA);

/** What createRepository records for a repository of team A. */
export const OWNED_BY_TEAM_A = { ownerGroup: TEST_GROUPS.teamA };

/**
 * A GitHub test server posing as github.com (its apiBaseUrl points at the
 * server, as for GitHub Enterprise), and the real service built by its
 * default factory from that config.
 */
export async function startHarness(
  options: {
    token?: string | null;
    paved?: Record<string, unknown>;
    /** The default token's scopes; `repo`, `admin:org` and `workflow` by default. */
    scopes?: string[];
  } = {},
) {
  const server = await startGitHubTestServer({ scopes: options.scopes });
  const data = server.appConfig({
    host: 'github.com',
    token: options.token,
    paved: {
      ...options.paved,
      github: {
        writeInterval: { milliseconds: 0 },
        ...(options.paved?.github as object),
      },
    },
  });
  const config = mockServices.rootConfig({ data });
  const service: GitHubRepoService = await ServiceFactoryTester.from(
    gitHubRepoServiceFactory,
    { dependencies: [mockServices.rootConfig.factory({ data })] },
  ).getSubject();
  const ownership = testOwnership();
  const auditor = mockServices.auditor.mock();
  return { server, config, service, ownership, auditor };
}

/** The options startHarness takes. */
export type HarnessOptions = Parameters<typeof startHarness>[0];

/**
 * A harness for every test of a describe block: started before each test,
 * closed after it. Later `beforeEach` hooks of the block see it started.
 */
export function useHarness(options?: HarnessOptions): Harness {
  const h = {} as Harness;
  beforeEach(async () => {
    Object.assign(h, await startHarness(options));
  });
  afterEach(async () => {
    await h.server.close();
  });
  return h;
}

/** Closes a harness and starts it again with other options, for one test. */
export async function restartHarness(h: Harness, options?: HarnessOptions) {
  await h.server.close();
  Object.assign(h, await startHarness(options));
}

/** The embedded default's config: no GitHub integration at all. */
export const localForgeConfig = mockServices.rootConfig({
  data: { integrations: {} },
});

/** An action's options as the embedded default gives them: the same service, no GitHub integration. */
export function onLocalForge(h: Harness) {
  return { ...h, config: localForgeConfig };
}

/** The actions the module registers in a test backend with this app-config. */
export async function moduleActions(data: Record<string, any>) {
  const actions: TemplateAction<any, any, any>[] = [];
  await startTestBackend({
    extensionPoints: [
      [
        scaffolderActionsExtensionPoint,
        { addActions: (...added: any[]) => actions.push(...added) },
      ],
    ],
    features: [
      scaffolderModulePavedGitHub,
      mockServices.rootConfig.factory({ data }),
      catalogServiceMock.factory({ entities: testOrganisation() }),
    ],
  });
  return actions;
}

export type Harness = Awaited<ReturnType<typeof startHarness>> & {
  server: GitHubTestServer;
};
