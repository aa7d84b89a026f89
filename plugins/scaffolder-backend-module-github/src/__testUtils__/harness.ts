import {
  ServiceFactoryTester,
  createMockDirectory,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  TemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  GitHubRepoService,
  gitHubRepoServiceFactory,
} from '@paved/plugin-github-node';
import { GitHubTestServer, startGitHubTestServer } from '@paved/testkit';
import yaml from 'yaml';
import { scaffolderModulePavedGitHub } from '../module';

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

/** The input of the first step of an example. */
export function exampleInput(example: string): any {
  return yaml.parse(example).steps[0].input;
}

/**
 * Runs an action with a mock context that records its outputs, log lines
 * and checkpoint keys. Checkpoints keep their results in `store`: a second
 * run with the same store resumes as a retried task does.
 */
export async function runAction(
  action: TemplateAction<any, any, any>,
  input: Record<string, unknown>,
  options: {
    workspace?: Record<string, string>;
    secrets?: Record<string, string>;
    isDryRun?: boolean;
    store?: Map<string, unknown>;
  } = {},
) {
  const dir = createMockDirectory();
  dir.setContent(options.workspace ?? {});
  const lines: string[] = [];
  const log = (level: string) => (message: string) =>
    lines.push(`${level}: ${message}`);
  const logger: any = {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: () => logger,
  };
  const keys: string[] = [];
  const store = options.store ?? new Map<string, unknown>();
  const base = createMockActionContext({
    input: input as any,
    workspacePath: dir.path,
    secrets: options.secrets,
    logger,
  });
  const ctx = {
    ...base,
    isDryRun: options.isDryRun ?? false,
    async checkpoint({ key, fn }: { key: string; fn: () => Promise<any> }) {
      keys.push(key);
      if (store.has(key)) return store.get(key);
      const value = await fn();
      store.set(key, JSON.parse(JSON.stringify(value ?? null)));
      return value;
    },
  };
  let error: any;
  try {
    await action.handler(ctx as any);
  } catch (e) {
    error = e;
  }
  const outputs: Record<string, unknown> = Object.fromEntries(
    (base.output as jest.Mock).mock.calls,
  );
  return { outputs, lines, keys, store, error, workspacePath: dir.path };
}

/** Every output an action declares. */
export function declaredOutputs(
  action: TemplateAction<any, any, any>,
): string[] {
  const schema: any = action.schema?.output;
  return Object.keys(schema?.properties ?? schema?.shape ?? {}).sort();
}

export type Harness = Awaited<ReturnType<typeof startHarness>> & {
  server: GitHubTestServer;
};
