/*
 * Every template in templates/, found as the catalogue finds it
 * (templates/<name>/template.yaml): each carries a version and a CHANGELOG
 * entry for it, a template that publishes a repository checks its form
 * first and records its provenance before publishing, and each completes a
 * dry run on the real backend with values derived from its own form (or
 * its test-values.yaml). A new template is exercised with no test to edit.
 *
 * Then bad input through the real scaffolder: a taken name, an owner that
 * is a user, an owner group the caller is not in and another team's
 * component for a database each fail at the `check` step naming the field,
 * and nothing was created (no repository on the GitHub test server or the
 * forge, no catalogue entity, no terraform run).
 */
import fs from 'node:fs';
import path from 'node:path';
import { TEST_GROUPS, TEST_USERS } from '@paved/testkit';
import { parse as parseYaml } from 'yaml';
import {
  RealBackend,
  startRealBackend,
  stepsOf,
} from './__testUtils__/realBackend';
import {
  discoverTemplates,
  sampleValues,
} from './__testUtils__/templateSamples';
import { eventually, templateFiles } from './__testUtils__/wiring';

jest.setTimeout(300_000);

const TEMPLATES = discoverTemplates();
const byName = (name: string) => TEMPLATES.find(t => t.name === name)!;
const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

const stepsOfTemplate = (t: { template: any }) =>
  (t.template.spec.steps ?? []) as {
    id: string;
    action: string;
    input?: Record<string, unknown>;
  }[];
const publishes = (t: { template: any }) =>
  stepsOfTemplate(t).some(s => s.action === 'paved:publish');

describe('every template in templates/', () => {
  it('finds the templates by their folders', () => {
    expect(TEMPLATES.map(t => t.name)).toEqual(
      expect.arrayContaining(['node-service', 'static-website']),
    );
    for (const t of TEMPLATES) expect(path.basename(t.dir)).toBe(t.name);
  });

  it.each(TEMPLATES.map(t => [t.name, t]))(
    '%s carries paved.dev/template-version and a CHANGELOG.md entry for it',
    (_, t) => {
      const version =
        t.template.metadata.annotations?.['paved.dev/template-version'];
      expect(version).toMatch(SEMVER);
      const changelog = path.join(t.dir, 'CHANGELOG.md');
      expect(fs.existsSync(changelog)).toBe(true);
      const headings = fs
        .readFileSync(changelog, 'utf8')
        .split('\n')
        .filter(l => /^## /.test(l));
      expect(headings.some(h => h.includes(version))).toBe(true);
    },
  );

  it.each(TEMPLATES.filter(publishes).map(t => [t.name, t]))(
    '%s checks the form first and records its provenance after fetching and before publishing',
    (_, t) => {
      const steps = stepsOfTemplate(t);
      const at = (action: string) => steps.findIndex(s => s.action === action);
      expect(steps[0]).toMatchObject({
        id: 'check',
        action: 'paved:form:check',
      });
      const provenance = steps[at('paved:provenance:record')];
      expect(provenance).toMatchObject({
        id: 'provenance',
        input: { answers: '${{ parameters }}' },
      });
      expect(at('fetch:template')).toBeGreaterThan(0);
      expect(at('paved:provenance:record')).toBeGreaterThan(
        at('fetch:template'),
      );
      expect(at('paved:publish')).toBeGreaterThan(
        at('paved:provenance:record'),
      );
    },
  );
});

describe('the templates on the real backend', () => {
  let paved: RealBackend;
  /** A component team A created with the Node.js service template. */
  const COMPONENT = 'component:default/taken-service';

  beforeAll(async () => {
    paved = await startRealBackend();
    const created = await paved.runTask(
      TEST_USERS.teamA,
      'template:default/node-service',
      {
        ...sampleValues(byName('node-service'), 'taken-service', {
          owner: TEST_GROUPS.teamA,
          component: '',
          host: 'github.com',
        }),
        name: 'taken-service',
        owner: TEST_GROUPS.teamA,
      },
    );
    if (created.status !== 'completed') {
      throw new Error(
        `Create Component failed: ${JSON.stringify(created.failed)}`,
      );
    }
    await eventually('the component in the catalogue', async () => {
      const res = await paved.api(
        TEST_USERS.teamA,
        '/catalog/entities/by-name/component/default/taken-service',
      );
      return res.status === 200 ? true : undefined;
    });
  });

  afterAll(async () => {
    await paved?.stop();
  });

  it('records the provenance on the component Create Component made', async () => {
    const entity = (
      await paved.api(
        TEST_USERS.teamA,
        '/catalog/entities/by-name/component/default/taken-service',
      )
    ).body;
    expect(entity.metadata.annotations).toMatchObject({
      'paved.dev/template': 'template:default/node-service',
      'paved.dev/template-version':
        byName('node-service').template.metadata.annotations[
          'paved.dev/template-version'
        ],
    });
  });

  describe('dry runs, as an admin', () => {
    it.each(TEMPLATES.map(t => [t.name, t]))(
      '%s completes with every step run or skipped',
      async (_, t) => {
        const values = sampleValues(t, `dry-${t.name}`, {
          owner: TEST_GROUPS.admin,
          component: COMPONENT,
          host: 'github.com',
        });
        const run = await paved.api(
          TEST_USERS.admin,
          '/scaffolder/v2/dry-run',
          {
            template: t.template,
            values,
            directoryContents: templateFiles(t.dir),
          },
        );
        const summary = `${t.name} with ${JSON.stringify(values)}: ${
          run.status
        } ${JSON.stringify(run.body?.error ?? run.body?.errors ?? '')}`;
        expect({ summary, status: run.status }).toEqual({
          summary,
          status: 200,
        });
        const log: any[] = run.body.log;
        const ended = new Map<string, string>();
        for (const l of log) {
          if (['completed', 'skipped', 'failed'].includes(l.body.status)) {
            ended.set(l.body.stepId, l.body.status);
          }
        }
        expect(
          Object.fromEntries(
            stepsOfTemplate(t).map(s => [s.id, ended.get(s.id)]),
          ),
        ).toEqual(
          Object.fromEntries(
            stepsOfTemplate(t).map(s => [
              s.id,
              expect.stringMatching(/^(completed|skipped)$/),
            ]),
          ),
        );
        // A publishing template records its provenance in the workspace.
        const file = run.body.directoryContents.find(
          (f: any) => f.path === '.paved/answers.yaml',
        );
        const recorded = file
          ? parseYaml(Buffer.from(file.base64Content, 'base64').toString())
          : undefined;
        expect(
          recorded && {
            version: recorded.version,
            name: recorded.answers?.name,
          },
        ).toEqual(
          publishes(t)
            ? {
                version:
                  t.template.metadata.annotations['paved.dev/template-version'],
                name: values.name,
              }
            : undefined,
        );
      },
    );
  });

  describe('bad input is refused at the check step, before anything is created', () => {
    /** What creating would leave: GitHub writes, forge repositories, catalogue components. */
    async function footprint() {
      const forge = await paved.api(TEST_USERS.admin, '/forge/-/repos');
      const components = await paved.api(
        TEST_USERS.admin,
        '/catalog/entities?filter=kind=component&filter=kind=resource&fields=metadata.name,kind',
      );
      return {
        githubWrites: paved.github.requests.filter(
          r => !/^(GET|GIT) /.test(r.route),
        ).length,
        forge: JSON.stringify(forge.body),
        entities: (components.body as any[])
          .map(e => `${e.kind}:${e.metadata.name}`)
          .sort(),
        terraformRuns: paved.terraform.invocations().length,
        kubernetesWrites: paved.cluster.requests.filter(r => r.write).length,
      };
    }

    /** A Node.js service form on the GitHub test server. */
    const serviceForm = (name: string, owner: string) => ({
      ...sampleValues(byName('node-service'), name, {
        owner,
        component: '',
        host: paved.github.host,
      }),
      name,
      owner,
    });

    it.each([
      [
        'a name that is taken',
        TEST_USERS.teamA,
        () => serviceForm('taken-service', TEST_GROUPS.teamA),
        /name: "taken-service" is taken: the catalogue already holds component:default\/taken-service/,
      ],
      [
        'an owner that is a user, not a group',
        TEST_USERS.teamA,
        () => serviceForm('user-owned', TEST_USERS.teamA),
        /owner: must be a group that owns things, got user:default\/lena-fischer, which is not a group/,
      ],
      [
        "an owner group the caller isn't in",
        TEST_USERS.teamA,
        () => serviceForm('not-my-team', TEST_GROUPS.teamB),
        /owner: you do not belong to group:default\/fulfilment/,
      ],
    ])(
      '%s: Create Component fails at check naming the field',
      async (_, caller, form, message) => {
        const before = await footprint();
        const run = await paved.runTask(
          caller,
          'template:default/node-service',
          form(),
        );
        expect(run.status).toBe('failed');
        expect(run.began).toEqual(['check']);
        expect(run.failed.map(f => f.stepId)).toEqual(['check']);
        expect(run.failed[0].message).toMatch(message);
        expect(await footprint()).toEqual(before);
      },
    );

    it("another team's component for a database: fails at check naming the component", async () => {
      const before = await footprint();
      const database = byName('postgres-database');
      const run = await paved.runTask(
        TEST_USERS.teamB,
        'template:default/postgres-database',
        {
          ...sampleValues(database, 'parcels-db', {
            owner: TEST_GROUPS.teamB,
            component: COMPONENT,
            host: paved.github.host,
          }),
          component: COMPONENT,
        },
      );
      expect(run.status).toBe('failed');
      expect(run.began).toEqual(['check']);
      expect(run.failed[0]).toMatchObject({ stepId: 'check' });
      expect(run.failed[0].message).toMatch(
        /component: component:default\/taken-service is owned by group:default\/storefront, which is not one of your teams/,
      );
      expect(await footprint()).toEqual(before);
    });
  });

  it('reads the task steps as the events give them', () => {
    expect(
      stepsOf([
        { type: 'log', body: { stepId: 'check', status: 'processing' } },
        {
          type: 'log',
          body: { stepId: 'check', status: 'failed', message: 'error: x' },
        },
      ]),
    ).toEqual({
      began: ['check'],
      failed: [{ stepId: 'check', message: 'x' }],
    });
  });
});
