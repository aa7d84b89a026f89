/*
 * One real backend (src/index.ts in a child process) on the embedded
 * default, with the GitHub and Kubernetes test servers and the stand-in
 * terraform, the sample organisation and every template of templates/
 * discovered by the glob location: what the template tests and the bench
 * drive over HTTP, as people in the picker's sample organisation.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  FakeTerraform,
  GitHubTestServer,
  KubernetesTestServer,
  TEST_GROUPS,
  TEST_USERS,
  fakeTerraformPath,
  startGitHubTestServer,
  startKubernetesTestServer,
} from '@paved/testkit';
import {
  ChildBackend,
  killChildBackend,
  startChildBackend,
} from './childBackend';
import { ROOT, eventually, freePort, logMessage } from './wiring';
import { callApi, pickerAuthorization } from './pickerApi';

/** A started real backend and what it talks to. */
export interface RealBackend {
  baseUrl: string;
  github: GitHubTestServer;
  cluster: KubernetesTestServer;
  terraform: FakeTerraform;
  backend: ChildBackend;
  /** Calls /api as `caller` (a user entity ref): GET, or POST with a JSON body. */
  api(
    caller: string,
    route: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }>;
  /** Runs a task of a catalogue template as `caller` until it ends. */
  runTask(
    caller: string,
    templateRef: string,
    values: Record<string, unknown>,
  ): Promise<TaskRun>;
  stop(): Promise<void>;
}

/** A task's end state and events. */
export interface TaskRun {
  id: string;
  status: string;
  events: any[];
  /** Step ids in the order they began. */
  began: string[];
  /** The ids of the steps that failed, and their messages. */
  failed: { stepId: string; message: string }[];
  output: Record<string, any>;
}

/** What a task's events say about its steps. */
export function stepsOf(events: any[]) {
  const logs = events.filter(e => e.type === 'log' && e.body?.stepId);
  const began = [
    ...new Set(
      logs
        .filter(e => e.body.status === 'processing')
        .map(e => e.body.stepId as string),
    ),
  ];
  const failed = logs
    .filter(e => e.body.status === 'failed')
    .map(e => ({
      stepId: e.body.stepId as string,
      message: logMessage(e.body.message),
    }));
  return { began, failed };
}

/**
 * Starts the backend; resolves once the organisation and the templates are
 * in the catalogue. `database` replaces the embedded default's SQLite
 * (`backend.database`).
 */
export async function startRealBackend(
  options: { database?: object } = {},
): Promise<RealBackend> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-templates-'));
  const github = await startGitHubTestServer({
    scopes: ['repo', 'admin:org', 'workflow', 'delete_repo'],
  });
  const cluster = await startKubernetesTestServer({ rollouts: 'immediate' });
  const terraform = FakeTerraform.create({ dir: path.join(dir, 'fake') });
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const clusterConfig = cluster.appConfig({ clusterName: 'dev' });
  const backend = await startChildBackend({
    port,
    dataDir: path.join(dir, 'data'),
    configDir: dir,
    overrides: {
      app: { baseUrl },
      backend: {
        baseUrl,
        listen: { port, host: '127.0.0.1' },
        ...(options.database && { database: options.database }),
      },
      integrations: { github: [github.integrationConfig()] },
      kubernetes: clusterConfig.kubernetes,
      catalog: {
        locations: [
          {
            type: 'file',
            target: path.join(ROOT, 'catalog/org.yaml'),
            rules: [{ allow: ['Group', 'User'] }],
          },
          {
            type: 'file',
            target: path.join(ROOT, 'templates/*/template.yaml'),
            rules: [{ allow: ['Template'] }],
          },
        ],
      },
      paved: {
        ...clusterConfig.paved,
        github: { writeInterval: { milliseconds: 0 } },
        terraform: { binary: fakeTerraformPath, environment: terraform.env },
        permissions: {
          adminGroups: [TEST_GROUPS.admin],
          allowSelfApproval: false,
        },
      },
    },
  });
  const authorization = pickerAuthorization(baseUrl);
  const api: RealBackend['api'] = async (caller, route, body) =>
    callApi(baseUrl, await authorization(caller), route, body);
  const runTask: RealBackend['runTask'] = async (
    caller,
    templateRef,
    values,
  ) => {
    const created = await api(caller, '/scaffolder/v2/tasks', {
      templateRef,
      values,
    });
    if (created.status !== 201) {
      throw new Error(
        `${templateRef} as ${caller}: ${created.status} ${JSON.stringify(
          created.body,
        )}`,
      );
    }
    const id: string = created.body.id;
    const task = await eventually(
      `${templateRef} as ${caller} to end`,
      async () => {
        const res = await api(TEST_USERS.admin, `/scaffolder/v2/tasks/${id}`);
        return ['completed', 'failed', 'cancelled'].includes(res.body?.status)
          ? res.body
          : undefined;
      },
      undefined,
      120_000,
    );
    const events: any[] = (
      await api(TEST_USERS.admin, `/scaffolder/v2/tasks/${id}/events`)
    ).body;
    const completion = events.find(e => e.type === 'completion');
    return {
      id,
      status: task.status,
      events,
      ...stepsOf(events),
      output: completion?.body?.output ?? {},
    };
  };
  let problem = '';
  await eventually(
    'the organisation and the templates in the catalogue',
    async () => {
      try {
        for (const user of Object.values(TEST_USERS)) await authorization(user);
        const res = await api(
          TEST_USERS.teamA,
          '/catalog/entities/by-name/template/default/node-service',
        );
        problem = `template read: ${res.status}`;
        return res.status === 200 || undefined;
      } catch (error) {
        problem = String(error);
        return undefined;
      }
    },
    undefined,
    120_000,
  ).catch(error => {
    throw new Error(`${error.message} (${problem}):\n${backend.output()}`);
  });
  return {
    baseUrl,
    github,
    cluster,
    terraform,
    backend,
    api,
    runTask,
    async stop() {
      await killChildBackend(backend);
      await github.close();
      await cluster.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
