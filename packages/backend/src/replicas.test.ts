/*
 * Two replicas of the real backend (src/index.ts, each in a child process)
 * on one PostgreSQL, publishing to the GitHub test server with GitHub's
 * secondary limits (80 content-creating requests a minute, 500 an hour, on
 * a clock 20 times faster):
 *
 * - a task posted to a replica at its task limit starts on the idle one
 *   within seconds (the scaffolder patch: idle workers poll the database);
 * - a burst of Create Component tasks, one replica killed with SIGKILL
 *   mid-way, all complete, each with one repository, its hardening and one
 *   catalogue entity, and GitHub refuses nothing for its secondary limits
 *   (the GitHub write budget the replicas share).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { GitHubTestServer, startGitHubTestServer } from '@paved/testkit';
import {
  ChildBackend,
  dropPostgresDatabases,
  guestApi,
  killChildBackend,
  startChildBackend,
  testPostgresUrl,
} from './__testUtils__/childBackend';
import { ROOT, eventually, freePort, logMessage } from './__testUtils__/wiring';

jest.setTimeout(600_000);

const TIME_SCALE = 0.05;
const TASKS = 50;

type Api = Awaited<ReturnType<typeof guestApi>>;

/** A template that says which replica runs it, then waits. */
function writeWaitTemplate(dir: string): string {
  const file = path.join(dir, 'replica-wait.yaml');
  fs.writeFileSync(
    file,
    stringifyYaml({
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: { name: 'replica-wait', title: 'Wait (test)' },
      spec: {
        owner: 'group:default/platform',
        type: 'service',
        parameters: [{ properties: { seconds: { type: 'number' } } }],
        steps: [
          {
            id: 'where',
            name: 'Where',
            action: 'debug:log',
            input: {
              message: 'on replica ${{ environment.parameters.replica }}',
            },
          },
          {
            id: 'wait',
            name: 'Wait',
            action: 'debug:wait',
            input: { seconds: '${{ parameters.seconds }}' },
          },
        ],
      },
    }),
  );
  return file;
}

describe('two replicas on one PostgreSQL', () => {
  it('runs when npm test provides PostgreSQL', () => {
    if (process.env.PAVED_REQUIRE_POSTGRES) {
      expect(testPostgresUrl).toEqual(expect.any(String));
    }
  });
});

describe.each(testPostgresUrl ? [testPostgresUrl] : [])(
  'two replicas on one PostgreSQL (%s)',
  postgres => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-replicas-'));
    const prefix = `paved_replicas_${process.pid}_`;
    const replicas: Record<'a' | 'b', { backend?: ChildBackend; api?: Api }> = {
      a: {},
      b: {},
    };
    let github: GitHubTestServer;

    beforeAll(async () => {
      github = await startGitHubTestServer();
      github.driver.setContentCreationLimits({
        perMinute: 80,
        perHour: 500,
        timeScale: TIME_SCALE,
      });
    });

    afterAll(async () => {
      await Promise.all(
        Object.values(replicas).map(r => killChildBackend(r.backend)),
      );
      await github?.close();
      await dropPostgresDatabases(postgres, prefix);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    async function startReplica(name: 'a' | 'b') {
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
              path.join(ROOT, 'templates/node-service/template.yaml'),
              writeWaitTemplate(dir),
            ].map(target => ({
              type: 'file',
              target,
              rules: [{ allow: ['Template'] }],
            })),
          },
          scaffolder: {
            defaultEnvironment: { parameters: { replica: name } },
          },
          paved: {
            github: {
              writeBudget: {
                limits: [
                  { writes: 80, per: { milliseconds: 60_000 * TIME_SCALE } },
                  {
                    writes: 500,
                    per: { milliseconds: 3_600_000 * TIME_SCALE },
                  },
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
      replicas[name] = { backend, api };
      return api;
    }

    async function post(api: Api, templateRef: string, values: object) {
      const created = await api('/scaffolder/v2/tasks', {
        templateRef,
        values,
      });
      expect(created.status).toBe(201);
      return created.body.id as string;
    }

    async function logOf(api: Api, taskId: string): Promise<string[]> {
      const events = (await api(`/scaffolder/v2/tasks/${taskId}/events`)).body;
      return (events as any[])
        .filter(e => e.type === 'log')
        .map(e => `${e.body.stepId}: ${logMessage(e.body.message)}`);
    }

    /** The replica a replica-wait task runs on, once it has started. */
    async function replicaOf(api: Api, taskId: string) {
      const line = (await logOf(api, taskId)).find(l =>
        l.startsWith('where: on replica '),
      );
      return line?.slice('where: on replica '.length);
    }

    it('starts a task posted to a replica at its task limit on the idle one within 5 s', async () => {
      const a = await startReplica('a');
      // Replica a alone: it claims all ten of its slots.
      const waiting = await Promise.all(
        Array.from({ length: 10 }, () =>
          post(a, 'template:default/replica-wait', { seconds: 25 }),
        ),
      );
      await eventually('replica a at its task limit', async () => {
        const where = await Promise.all(waiting.map(id => replicaOf(a, id)));
        return where.every(w => w === 'a') ? true : undefined;
      });
      const b = await startReplica('b');

      const posted = Date.now();
      const next = await post(a, 'template:default/replica-wait', {
        seconds: 0,
      });
      const where = await eventually(
        'the task to start',
        async () => replicaOf(a, next),
        undefined,
        20_000,
      );
      expect({ where, seconds: (Date.now() - posted) / 1000 }).toEqual({
        where: 'b',
        seconds: expect.any(Number),
      });
      expect((Date.now() - posted) / 1000).toBeLessThan(5);
      await eventually(
        'the waiting tasks to end',
        async () => {
          const states = await Promise.all(
            waiting.map(
              async id => (await b(`/scaffolder/v2/tasks/${id}`)).body,
            ),
          );
          return states.every(t => t.status === 'completed') ? true : undefined;
        },
        undefined,
        60_000,
      );
    });

    it(`completes ${TASKS} Create Component tasks posted to both at once, one replica killed mid-way, each once, without a refusal for GitHub's limits`, async () => {
      const { a, b } = { a: replicas.a.api!, b: replicas.b.api! };
      const names = Array.from({ length: TASKS }, (_, i) => `parcel-${i}`);
      const started = Date.now();
      const ids = await Promise.all(
        names.map((name, i) =>
          post(i % 2 ? b : a, 'template:default/node-service', {
            name,
            description: `Parcel service ${i}`,
            owner: 'group:default/fulfilment',
            repoUrl: `${github.host}?owner=kestrel&repo=${name}`,
            deploy: false,
          }),
        ),
      );
      // Mid-way: a few tasks are done, most are not.
      await eventually(
        'a few tasks to complete',
        async () => {
          const done = (await b('/scaffolder/v2/tasks?status=completed')).body;
          const mine = (done.tasks ?? []).filter((t: any) =>
            ids.includes(t.id),
          );
          return mine.length >= 5 ? true : undefined;
        },
        undefined,
        240_000,
      );
      await killChildBackend(replicas.a.backend);

      const tasks = await eventually(
        'every task to end on the replica left',
        async () => {
          const all = await Promise.all(
            ids.map(async id => (await b(`/scaffolder/v2/tasks/${id}`)).body),
          );
          return all.every(t => ['completed', 'failed'].includes(t.status))
            ? all
            : undefined;
        },
        undefined,
        480_000,
      );
      const wallSeconds = (Date.now() - started) / 1000;
      const failed = await Promise.all(
        tasks
          .filter(t => t.status !== 'completed')
          .map(async t => ({ id: t.id, log: await logOf(b, t.id) })),
      );
      expect(failed).toEqual([]);

      // One repository each, one commit, born protected.
      for (const name of names) {
        const repo = github.driver.repository('kestrel', name)!;
        expect({
          name,
          teams: repo.teams,
          rulesets: repo.rulesets.length,
          environments: Object.keys(repo.environments).sort(),
        }).toEqual({
          name,
          teams: { fulfilment: 'maintain' },
          rulesets: 1,
          environments: ['development', 'production', 'staging'],
        });
        // The first push and the CODEOWNERS commit, each once.
        const subjects = execFileSync(
          'git',
          [
            '--git-dir',
            github.driver.gitDir('kestrel', name),
            'log',
            '--format=%s',
            'main',
          ],
          { encoding: 'utf8' },
        )
          .trim()
          .split('\n');
        expect(subjects).toEqual([
          expect.stringMatching(/CODEOWNERS/),
          expect.not.stringMatching(/CODEOWNERS/),
        ]);
      }
      const created = github.requests.filter(
        r => r.route === 'POST /orgs/{org}/repos' && r.status === 201,
      );
      expect(created).toHaveLength(TASKS);

      // One catalogue entity and one location each.
      const locations = (await b('/catalog/locations')).body
        .map((l: any) => l.data.target as string)
        .filter((t: string) => t.includes('/parcel-'));
      expect(locations).toHaveLength(TASKS);
      expect(new Set(locations).size).toBe(TASKS);
      await eventually(
        'every component in the catalogue',
        async () => {
          const res = await b(
            '/catalog/entities?filter=kind=component&fields=metadata.name',
          );
          const found = (res.body as any[])
            .map(e => e.metadata.name)
            .filter((n: string) => n.startsWith('parcel-'));
          return found.length === TASKS ? true : undefined;
        },
        undefined,
        120_000,
      );

      // GitHub refused nothing for its secondary limits.
      const writes = github.requests.filter(r => r.contentCreating);
      const refused = writes.filter(r => r.status === 403);
      expect(refused).toEqual([]);
      process.stdout.write(
        `[replicas] ${TASKS} tasks in ${wallSeconds.toFixed(0)} s, ${
          writes.length
        } content-creating requests, floor ${(
          (writes.length / 80) *
          60 *
          TIME_SCALE
        ).toFixed(0)} s on the test clock\n`,
      );
    });
  },
);
