/*
 * Task recovery (scaffolder.taskRecovery in app-config.yaml): the real
 * backend (src/index.ts, run from its sources in a child process) is killed
 * with SIGKILL while a Create Component task is mid-way, started again on the
 * same database with an empty disk of its own, and the task resumes by itself
 * and converges: one repository with one commit on the local forge, one
 * catalogue location, the component in the catalogue.
 *
 * The template is the Node.js service golden path with two steps added
 * after publish: a debug:wait, so that the kill lands at a known point (the
 * repository pushed, the component not yet registered), and a debug:log
 * listing the workspace the resumed run finds. On SQLite (the embedded
 * default) and on PostgreSQL when a test database is configured; the
 * staleTimeout is app-config.yaml's.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import {
  ChildBackend,
  dropPostgresDatabases,
  guestApi,
  untilGuestIsAdmin,
  killChildBackend,
  startChildBackend,
  testPostgresUrl,
  postgresDatabaseUrl,
} from './__testUtils__/childBackend';
import { ROOT, eventually, freePort, logMessage } from './__testUtils__/wiring';

jest.setTimeout(180_000);

const TEMPLATE_NAME = 'node-service-paused';
const values = {
  name: 'parcel-tracker',
  description: 'Tracks parcels',
  // The guest's team: the drivers let only the owner's members (and admins)
  // create for it, and only a group of the catalogue.
  owner: 'group:default/platform',
  repoUrl: 'github.com?owner=kestrel&repo=parcel-tracker',
};

/** The Node.js service template, paused after publish, with its content. */
function writeTemplate(dir: string): string {
  const source = path.join(ROOT, 'templates/node-service');
  const template = parseYaml(
    fs.readFileSync(path.join(source, 'template.yaml'), 'utf8'),
  );
  template.metadata.name = TEMPLATE_NAME;
  const steps: any[] = template.spec.steps;
  const publish = steps.findIndex(s => s.id === 'publish');
  if (publish < 0 || steps[publish + 1]?.id !== 'codeowners') {
    throw new Error(
      'templates/node-service is expected to publish, then add CODEOWNERS',
    );
  }
  steps.splice(
    publish + 1,
    0,
    {
      id: 'pause',
      name: 'Pause (test)',
      action: 'debug:wait',
      input: { seconds: 5 },
    },
    {
      id: 'workspace',
      name: 'List the workspace (test)',
      action: 'debug:log',
      input: { listWorkspace: true },
    },
  );
  fs.cpSync(path.join(source, 'content'), path.join(dir, 'content'), {
    recursive: true,
  });
  const file = path.join(dir, 'template.yaml');
  fs.writeFileSync(file, stringifyYaml(template));
  return file;
}

const cases: Array<[string, string | undefined]> = [
  ['SQLite', undefined],
  ...(testPostgresUrl
    ? [['PostgreSQL', testPostgresUrl] as [string, string]]
    : []),
];

describe.each(cases)(
  'a Create Component task when the backend is killed mid-way (%s)',
  (_engine, postgres) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-recovery-'));
    const dataDir = path.join(dir, 'data');
    const prefix = `paved_recovery_${process.pid}_`;
    let backend: ChildBackend | undefined;

    afterAll(async () => {
      await killChildBackend(backend);
      if (postgres) await dropPostgresDatabases(postgres, prefix);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    /** Reads the scaffolder's own tables, while no backend runs. */
    async function scaffolderRows(sql: string): Promise<any[]> {
      const db = postgres
        ? knexFactory({
            client: 'pg',
            connection: postgresDatabaseUrl(postgres, `${prefix}scaffolder`),
          })
        : knexFactory({
            client: 'better-sqlite3',
            connection: {
              filename: path.join(dataDir, 'sqlite', 'scaffolder.sqlite'),
            },
            useNullAsDefault: true,
          });
      try {
        const result = await db.raw(sql);
        return postgres ? result.rows : result;
      } finally {
        await db.destroy();
      }
    }

    it('resumes after the restart and converges: one repository, one commit, one catalogue location', async () => {
      const port = await freePort();
      const baseUrl = `http://localhost:${port}`;
      fs.mkdirSync(path.join(dir, 'template'));
      const templateFile = writeTemplate(path.join(dir, 'template'));
      const overrides = (workingDirectory: string) => {
        fs.mkdirSync(workingDirectory, { recursive: true });
        return {
          app: { baseUrl },
          backend: {
            baseUrl,
            listen: { port, host: '127.0.0.1' },
            workingDirectory,
            ...(postgres && {
              database: {
                client: 'pg',
                connection: postgres,
                prefix,
              },
            }),
          },
          catalog: {
            locations: [
              {
                type: 'file',
                target: path.join(ROOT, 'catalog/org.yaml'),
                rules: [{ allow: ['Group', 'User'] }],
              },
              {
                type: 'file',
                target: templateFile,
                rules: [{ allow: ['Template'] }],
              },
            ],
          },
        };
      };

      backend = await startChildBackend({
        port,
        dataDir,
        configDir: dir,
        overrides: overrides(path.join(dir, 'disk-1')),
      });
      const api = await guestApi(baseUrl);
      await eventually('the template in the catalogue', async () => {
        const res = await api(
          `/catalog/entities/by-name/template/default/${TEMPLATE_NAME}`,
        );
        return res.status === 200 ? true : undefined;
      });
      await untilGuestIsAdmin(api);

      const created = await api('/scaffolder/v2/tasks', {
        templateRef: `template:default/${TEMPLATE_NAME}`,
        values,
      });
      expect(created.status).toBe(201);
      const taskId: string = created.body.id;
      const events = async () =>
        (await api(`/scaffolder/v2/tasks/${taskId}/events`)).body as any[];
      const statusOf = (all: any[], stepId: string) =>
        all
          .filter(e => e.type === 'log' && e.body.stepId === stepId)
          .map(e => e.body.status)
          .filter(Boolean)
          .pop();

      // Killed while it waits after publish: the repository is pushed, the
      // component not registered.
      await eventually('the task to reach the pause', async () => {
        const all = await events();
        if (all.some(e => e.type === 'completion')) {
          throw new Error(`the task ended early: ${JSON.stringify(all)}`);
        }
        return statusOf(all, 'pause') === 'processing' ? true : undefined;
      });
      const before = await events();
      expect(statusOf(before, 'publish')).toBe('completed');
      expect(statusOf(before, 'register')).toBeUndefined();
      const locationsBefore = (await api('/catalog/locations')).body;
      await killChildBackend(backend);

      const repo = path.join(dataDir, 'forge', 'kestrel', 'parcel-tracker.git');
      expect(fs.existsSync(repo)).toBe(true);
      expect(locationsBefore).toEqual([]);
      const [stuck] = await scaffolderRows(
        `SELECT status, secrets FROM tasks WHERE id = '${taskId}'`,
      );
      expect(stuck.status).toBe('processing');
      // The secrets (the user's token) are kept for the run that resumes it.
      expect(stuck.secrets).toEqual(expect.any(String));

      // The same database, another disk: what the first run left in its
      // working directory is gone, as with a pod replaced or another replica.
      fs.rmSync(path.join(dir, 'disk-1'), { recursive: true, force: true });
      backend = await startChildBackend({
        port,
        dataDir,
        configDir: dir,
        overrides: overrides(path.join(dir, 'disk-2')),
      });

      const task = await eventually(
        'the task to finish',
        async () => {
          const res = await api(`/scaffolder/v2/tasks/${taskId}`);
          return ['completed', 'failed'].includes(res.body.status)
            ? res.body
            : undefined;
        },
        undefined,
        90_000,
      );
      const after = await events();
      const log = after
        .filter(e => e.type === 'log')
        .map(e => `${e.body.stepId ?? '-'}: ${logMessage(e.body.message)}`);
      expect({ status: task.status, log }).toMatchObject({
        status: 'completed',
      });
      // Shown after the recovery only (the template recovers by startOver).
      expect(after[0].type).toBe('recovered');
      expect(log).toEqual(
        expect.arrayContaining([
          '-: Task recovered - resuming from last known good state. 4 step(s) already completed.',
          'check: Skipping step check because it was already completed in a previous run',
          'fetch-base: Skipping step fetch-base because it was already completed in a previous run',
          'provenance: Skipping step provenance because it was already completed in a previous run',
          'publish: Skipping step publish because it was already completed in a previous run',
        ]),
      );
      expect(statusOf(after, 'pause')).toBe('completed');
      expect(statusOf(after, 'register')).toBe('completed');
      // The workspace came back from the database onto the new disk.
      const listing = log.find(l => l.startsWith('workspace: Workspace:'));
      expect(listing).toContain('  - catalog-info.yaml');
      expect(listing).toContain('  - kubernetes/deployment.yaml');

      // Exactly one repository on the forge, with exactly one commit.
      const owners = fs.readdirSync(path.join(dataDir, 'forge'));
      expect(
        owners.flatMap(o =>
          fs
            .readdirSync(path.join(dataDir, 'forge', o))
            .filter(n => n.endsWith('.git'))
            .map(n => `${o}/${n}`),
        ),
      ).toEqual(['kestrel/parcel-tracker.git']);
      const git = (...args: string[]) =>
        execFileSync('git', ['--git-dir', repo, ...args], {
          encoding: 'utf8',
        }).trim();
      expect(git('rev-list', '--count', '--all')).toBe('1');
      expect(git('ls-tree', '-r', '--name-only', 'main').split('\n')).toEqual(
        expect.arrayContaining([
          'catalog-info.yaml',
          'kubernetes/deployment.yaml',
        ]),
      );

      // Exactly one catalogue location for it, and the component read from it.
      const output = after.find(e => e.type === 'completion')!.body.output;
      const locations = (await api('/catalog/locations')).body.map(
        (l: any) => l.data.target,
      );
      expect(locations).toEqual([
        `${baseUrl}/api/forge/kestrel/parcel-tracker/blob/main/catalog-info.yaml`,
      ]);
      expect(output.links[1].entityRef).toBe(
        'component:default/parcel-tracker',
      );
      await eventually('the component in the catalogue', async () => {
        const res = await api(
          '/catalog/entities/by-name/component/default/parcel-tracker',
        );
        return res.status === 200 ? true : undefined;
      });

      // Ended: its secrets and its saved workspace are gone.
      await killChildBackend(backend);
      const [ended] = await scaffolderRows(
        `SELECT status, secrets FROM tasks WHERE id = '${taskId}'`,
      );
      expect(ended).toEqual({ status: 'completed', secrets: null });
      expect(
        await scaffolderRows(
          `SELECT task_id FROM scaffolder_task_workspaces WHERE task_id = '${taskId}'`,
        ),
      ).toEqual([]);
    });
  },
);
