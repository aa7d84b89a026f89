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
} from '@paved/plugin-github-node';
import { GitHubTestServer, startGitHubTestServer } from '@paved/testkit';
import { scaffolderModulePavedGitHub } from '../module';

export { declaredOutputs, exampleInput, runAction } from '@paved/testkit';

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
  return { server, config, service };
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
  return { service: h.service, config: localForgeConfig };
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
    ],
  });
  return actions;
}

export type Harness = Awaited<ReturnType<typeof startHarness>> & {
  server: GitHubTestServer;
};
