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
 *   catalogue entity, and GitHub refuses next to nothing for its secondary
 *   limits (the GitHub write budget the replicas share).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { GitHubTestServer, startGitHubTestServer } from '@paved/testkit';
import {
  dropPostgresDatabases,
  killChildBackend,
  testPostgresUrl,
} from './__testUtils__/childBackend';
import {
  Api,
  Replica,
  limitGitHub,
  postCreateComponents,
  postTask,
  startReplica,
  taskLog,
  tasksEnded,
} from './__testUtils__/replicas';
import { eventually } from './__testUtils__/wiring';

jest.setTimeout(600_000);

const TIME_SCALE = 0.05;
const TASKS = 50;

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

/** The replica a replica-wait task runs on, once it has started. */
async function replicaOf(api: Api, taskId: string) {
  const line = (await taskLog(api, taskId)).find(l =>
    l.startsWith('where: on replica '),
  );
  return line?.slice('where: on replica '.length);
}

describe('two replicas on one PostgreSQL', () => {
  it('runs when npm test provides PostgreSQL', () => {
    const required = Boolean(process.env.PAVED_REQUIRE_POSTGRES);
    expect({ required, found: Boolean(testPostgresUrl) }).toEqual({
      required,
      found: required || Boolean(testPostgresUrl),
    });
  });
});

describe.each(testPostgresUrl ? [testPostgresUrl] : [])(
  'two replicas on one PostgreSQL (%s)',
  postgres => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-replicas-'));
    const prefix = `paved_replicas_${process.pid}_`;
    const replicas: Partial<Record<'a' | 'b', Replica>> = {};
    let github: GitHubTestServer;

    const start = async (name: 'a' | 'b') => {
      replicas[name] = await startReplica({
        name,
        dir,
        postgres,
        prefix,
        github,
        timeScale: TIME_SCALE,
        templates: [writeWaitTemplate(dir)],
      });
      return replicas[name]!.api;
    };

    beforeAll(async () => {
      github = await startGitHubTestServer();
      limitGitHub(github, TIME_SCALE);
    });

    afterAll(async () => {
      await Promise.all(
        Object.values(replicas).map(r => killChildBackend(r?.backend)),
      );
      await github?.close();
      await dropPostgresDatabases(postgres, prefix);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('starts a task posted to a replica at its task limit on the idle one within 5 s', async () => {
      const a = await start('a');
      // Replica a alone: it claims all ten of its slots.
      const waiting = await Promise.all(
        Array.from({ length: 10 }, () =>
          postTask(a, 'template:default/replica-wait', { seconds: 25 }),
        ),
      );
      await eventually('replica a at its task limit', async () => {
        const where = await Promise.all(waiting.map(id => replicaOf(a, id)));
        return where.every(w => w === 'a') ? true : undefined;
      });
      const b = await start('b');

      const posted = Date.now();
      const next = await postTask(a, 'template:default/replica-wait', {
        seconds: 0,
      });
      const where = await eventually(
        'the task to start',
        async () => replicaOf(a, next),
        undefined,
        20_000,
      );
      const seconds = (Date.now() - posted) / 1000;
      expect({ where, startedWithin5s: seconds < 5 }).toEqual({
        where: 'b',
        startedWithin5s: true,
      });
      const ended = await tasksEnded(b, waiting, 60_000);
      expect(ended.map(t => t.status)).toEqual(Array(10).fill('completed'));
    });

    it(`completes ${TASKS} Create Component tasks posted to both at once, one replica killed mid-way, each once, absorbing GitHub's limits`, async () => {
      const [a, b] = [replicas.a!.api, replicas.b!.api];
      const names = Array.from({ length: TASKS }, (_, i) => `parcel-${i}`);
      const ids = await postCreateComponents([a, b], github, names);
      // Mid-way: a few tasks are done, most are not.
      await eventually(
        'a few tasks to complete',
        async () => {
          const done = (await b('/scaffolder/v2/tasks?status=completed')).body;
          const ours = done.tasks.filter((t: any) => ids.includes(t.id));
          return ours.length >= 5 ? true : undefined;
        },
        undefined,
        240_000,
      );
      await killChildBackend(replicas.a!.backend);

      const tasks = await tasksEnded(b, ids, 480_000);
      const failed = await Promise.all(
        tasks
          .filter(t => t.status !== 'completed')
          .map(async t => ({ id: t.id, log: await taskLog(b, t.id) })),
      );
      expect(failed).toEqual([]);

      // One repository each, born protected, its first push and CODEOWNERS once.
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
        // One commit, once: the skeleton carries .github/CODEOWNERS, which
        // the codeowners step finds as it would write it.
        expect(subjects).toEqual([expect.not.stringMatching(/CODEOWNERS/)]);
        expect(
          execFileSync(
            'git',
            [
              '--git-dir',
              github.driver.gitDir('kestrel', name),
              'ls-tree',
              '--name-only',
              'main',
              '.github/',
            ],
            { encoding: 'utf8' },
          ),
        ).toContain('.github/CODEOWNERS');
      }
      expect(
        github.requests.filter(
          r => r.route === 'POST /orgs/{org}/repos' && r.status === 201,
        ),
      ).toHaveLength(TASKS);

      // One catalogue location and one entity each.
      const locations = (await b('/catalog/locations')).body
        .map((l: any) => l.data.target as string)
        .filter((t: string) => t.includes('/parcel-'));
      expect(new Set(locations).size).toBe(TASKS);
      expect(locations).toHaveLength(TASKS);
      await eventually(
        'every component in the catalogue',
        async () => {
          const res = await b(
            '/catalog/entities?filter=kind=component&fields=metadata.name',
          );
          const found = (res.body as any[]).filter(e =>
            e.metadata.name.startsWith('parcel-'),
          );
          return found.length === TASKS ? true : undefined;
        },
        undefined,
        120_000,
      );

      // GitHub refused next to nothing for its secondary limits, and what it
      // refused was absorbed (every task completed above): on this clock a
      // window is 3 s, and a loaded machine can send a write half a second
      // after its turn.
      const writes = github.requests.filter(r => r.contentCreating);
      const refused = writes.filter(r => r.status === 403);
      expect(refused.length).toBeLessThanOrEqual(writes.length / 100);
    });
  },
);
