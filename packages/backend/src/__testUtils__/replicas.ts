/*
 * Replicas of the real backend on one PostgreSQL, publishing to a GitHub
 * test server, for the replica tests and the burst benchmark
 * (bench/burst.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { GitHubTestServer } from '@paved/testkit';
import {
  ChildBackend,
  guestApi,
  startChildBackend,
  untilGuestIsAdmin,
} from './childBackend';
import { ROOT, eventually, freePort, logMessage } from './wiring';

/** A caller of a replica's /api as the guest. */
export type Api = Awaited<ReturnType<typeof guestApi>>;

/** A replica started by {@link startReplica}. */
export interface Replica {
  name: string;
  backend: ChildBackend;
  api: Api;
}

/** Options of {@link startReplica}. */
export interface ReplicaOptions {
  /** Named in `${{ environment.parameters.replica }}`. */
  name: string;
  /** Where its disks and config files go. */
  dir: string;
  postgres: string;
  /** The database prefix the replicas share. */
  prefix: string;
  github: GitHubTestServer;
  /** GitHub's clock in the test server and the write budget: 0.05 is 20 times faster. */
  timeScale: number;
  /** Template files registered besides the node-service golden path. */
  templates?: string[];
}

/** Starts a replica and waits until its catalogue has the templates. */
export async function startReplica(options: ReplicaOptions): Promise<Replica> {
  const { name, dir, postgres, prefix, github, timeScale } = options;
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const workingDirectory = path.join(dir, `disk-${name}`);
  fs.mkdirSync(workingDirectory, { recursive: true });
  const backend = await startChildBackend({
    port,
    dataDir: path.join(dir, `data-${name}`),
    configDir: dir,
    overrides: {
      app: { baseUrl },
      backend: {
        baseUrl,
        listen: { port, host: '127.0.0.1' },
        workingDirectory,
        database: { client: 'pg', connection: postgres, prefix },
      },
      integrations: { github: [github.integrationConfig()] },
      catalog: {
        locations: [
          // The owners the tasks name, and the guest's admin team.
          {
            type: 'file',
            target: path.join(ROOT, 'catalog/org.yaml'),
            rules: [{ allow: ['Group', 'User'] }],
          },
          ...[
            path.join(ROOT, 'templates/node-service/template.yaml'),
            ...(options.templates ?? []),
          ].map(target => ({
            type: 'file',
            target,
            rules: [{ allow: ['Template'] }],
          })),
        ],
      },
      scaffolder: { defaultEnvironment: { parameters: { replica: name } } },
      paved: {
        github: {
          writeBudget: {
            limits: [
              { writes: 80, per: { milliseconds: 60_000 * timeScale } },
              { writes: 500, per: { milliseconds: 3_600_000 * timeScale } },
            ],
          },
        },
      },
    },
  });
  const api = await guestApi(baseUrl);
  await eventually(`the templates on replica ${name}`, async () => {
    const res = await api(
      '/catalog/entities/by-name/template/default/node-service',
    );
    return res.status === 200 ? true : undefined;
  });
  await untilGuestIsAdmin(api);
  return { name, backend, api };
}

/** GitHub's secondary limits on the test server, on the same clock. */
export function limitGitHub(github: GitHubTestServer, timeScale: number) {
  github.driver.setContentCreationLimits({
    perMinute: 80,
    perHour: 500,
    timeScale,
  });
}

/** Posts a task; its id. */
export async function postTask(
  api: Api,
  templateRef: string,
  values: object,
): Promise<string> {
  const created = await api('/scaffolder/v2/tasks', { templateRef, values });
  if (created.status !== 201) {
    throw new Error(`posting ${templateRef}: ${JSON.stringify(created)}`);
  }
  return created.body.id;
}

/** Posts one Create Component (node-service, no dev environment) per name, to the replicas in turn. */
export function postCreateComponents(
  apis: Api[],
  github: GitHubTestServer,
  names: string[],
): Promise<string[]> {
  return Promise.all(
    names.map((name, i) =>
      postTask(apis[i % apis.length], 'template:default/node-service', {
        name,
        description: `Service ${name}`,
        owner: 'group:default/fulfilment',
        repoUrl: `${github.host}?owner=kestrel&repo=${name}`,
        deploy: false,
      }),
    ),
  );
}

/** A task's log lines, `<step>: <message>`. */
export async function taskLog(api: Api, taskId: string): Promise<string[]> {
  const events = (await api(`/scaffolder/v2/tasks/${taskId}/events`)).body;
  return (events as any[])
    .filter(e => e.type === 'log')
    .map(e => `${e.body.stepId}: ${logMessage(e.body.message)}`);
}

/** Waits until every task has ended; the tasks. */
export function tasksEnded(
  api: Api,
  ids: string[],
  timeoutMs: number,
): Promise<any[]> {
  return eventually(
    'every task to end',
    async () => {
      const all = await Promise.all(
        ids.map(async id => (await api(`/scaffolder/v2/tasks/${id}`)).body),
      );
      return all.every(t => ['completed', 'failed'].includes(t.status))
        ? all
        : undefined;
    },
    undefined,
    timeoutMs,
  );
}

/** The longest wait for GitHub's write budget the task logs reported, in seconds. */
export function longestBudgetWait(logs: string[][]): number {
  const waits = logs
    .flat()
    .map(l => /Waiting for GitHub's write budget: .* about (\d+) s/.exec(l))
    .filter((m): m is RegExpExecArray => Boolean(m))
    .map(m => Number(m[1]));
  return Math.max(0, ...waits);
}
