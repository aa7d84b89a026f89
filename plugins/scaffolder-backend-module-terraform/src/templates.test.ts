/*
 * The Terraform golden-path templates (templates/terraform/) run in the real
 * scaffolder of Backstage 1.55 with this module, the approvals backend and
 * the stand-in terraform: the task plans, asks the owning group to approve
 * the plan and stops; a Retry approves nothing; a teammate's approval
 * resumes the task, which applies exactly the reviewed plan.
 */
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import approvalsPlugin from '@paved/plugin-approvals-backend';
import {
  FakeTerraform,
  fakeTerraformPath,
  TEST_USERS,
  testOrganisation,
} from '@paved/testkit';
import fs from 'node:fs';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { parse as parseYaml } from 'yaml';
import {
  MODULES,
  postgresScenario,
  PROVIDER_SECRET,
} from './__testUtils__/createTestRunner';
import terraformModule from './index';

jest.setTimeout(120_000);

const TEMPLATES = path.resolve(__dirname, '../../../templates');

/**
 * A template as the catalogue holds it, with only its Terraform steps (plan,
 * review, apply, outputs) and the owner a form field instead of the
 * component's owner: the check, the component and the steps that connect
 * the workspace to the component run in packages/backend's
 * infrastructureWiring.test.ts, on a backend with a catalogue and a cluster.
 */
function template(name: string): any {
  const entity = parseYaml(
    fs.readFileSync(path.join(TEMPLATES, name, 'template.yaml'), 'utf8'),
  );
  const steps = entity.spec.steps.filter((s: any) =>
    /^paved:terraform:(plan|review|apply|output)$/.test(s.action),
  );
  const spec = JSON.parse(
    JSON.stringify({ ...entity.spec, steps }).replaceAll(
      'steps.component.output.entity.spec.owner',
      'parameters.owner',
    ),
  );
  const [page] = spec.parameters;
  delete page.properties.component;
  page.properties.owner = { type: 'string' };
  page.required = ['name', 'owner'];
  delete spec.output.links;
  spec.output.text = spec.output.text.filter(
    (t: any) => !t.content.includes('steps.connection'),
  );
  return {
    ...entity,
    spec,
    metadata: { namespace: 'default', ...entity.metadata },
  };
}

/** A template handing a secret to a sensitive module variable, as templates should. */
const SECRET_TEMPLATE = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'database-with-password', namespace: 'default' },
  spec: {
    owner: 'platform',
    type: 'resource',
    EXPERIMENTAL_recovery: { EXPERIMENTAL_strategy: 'startOver' },
    // Not required: the task page's Retry sends no secrets, and only the
    // plan step (checkpointed, so not run again) needs it.
    secrets: {
      schema: {
        type: 'object',
        properties: { dbPassword: { type: 'string' } },
      },
    },
    parameters: [
      {
        required: ['name'],
        properties: { name: { type: 'string' } },
      },
    ],
    steps: [
      {
        id: 'plan',
        action: 'paved:terraform:plan',
        input: {
          module: 'postgres-database',
          workspace: '${{ parameters.name }}-db',
          owner: 'group:default/fulfilment',
          variables: {
            name: '${{ parameters.name }}',
            owner: 'fulfilment',
            master_password: '${{ secrets.dbPassword }}',
          },
        },
      },
      {
        id: 'review',
        action: 'paved:terraform:review',
        input: { planId: '${{ steps.plan.output.planId }}' },
      },
      {
        id: 'apply',
        action: 'paved:terraform:apply',
        input: { planId: '${{ steps.plan.output.planId }}' },
      },
      {
        id: 'outputs',
        action: 'paved:terraform:output',
        input: { workspace: '${{ parameters.name }}-db' },
      },
    ],
    output: {
      text: [
        { title: 'Plan', content: '${{ steps.plan.output.summaryText }}' },
        {
          title: 'Outputs',
          content: '${{ steps.outputs.output.outputs | dump }}',
        },
      ],
    },
  },
};
/** A team of its own, which the bucket tests name as owner. */
const BILLING = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'billing', namespace: 'default' },
  spec: { type: 'team', children: [] },
};
const DB_SECRET = 'template-secret-password-1f2e3d4c';
const PLAN_KEY = 'the-replicas-plan-encryption-key-5a6b7c8d9e';

const databases = TestDatabases.create();
type Knex = Awaited<ReturnType<typeof databases.init>>;

/** A query that never settles. */
const hang: any = new Proxy(() => {}, {
  get: (_target, property) => (property === 'then' ? () => {} : hang),
  apply: () => hang,
});

/**
 * The scaffolder's database, parked once the backend has stopped. Backstage
 * 1.55 keeps polling the task_events of every task run with
 * EXPERIMENTAL_recovery (StorageTaskBroker.registerCancellable never
 * unsubscribes from them); parked, those pollers wait forever instead of
 * querying a database the test has dropped.
 */
function parkable(knex: Knex) {
  let parked = false;
  const proxy = new Proxy(knex, {
    apply: (target, thisArg, args) =>
      parked ? hang : Reflect.apply(target, thisArg, args),
  });
  return { knex: proxy, park: () => (parked = true) };
}

describe.each(databases.eachSupportedId())(
  'the Terraform templates in the scaffolder (%s)',
  databaseId => {
    const mockDir = createMockDirectory();
    let knex: Knex;
    let fake: FakeTerraform;
    let baseUrl: string;
    let apiUrl: string;
    let stop: () => Promise<void>;

    let count = 0;
    let dir: string;
    /**
     * A portal replica: a backend with the scaffolder and this module. The
     * first call of a test makes a fresh database and stand-in; `replica`
     * starts another backend on the same database with its own work
     * directory, as a second pod would be. `scaffolder` is the
     * scaffolder's own config (task recovery off unless given).
     */
    async function start(
      terraform: Record<string, unknown> = {},
      options: {
        replica?: string;
        scaffolder?: { taskRecovery: { enabled: boolean } };
      } = {},
    ) {
      if (!options.replica) {
        dir = path.join(mockDir.path, `case-${++count}`);
        knex = await databases.init(databaseId);
        fake = FakeTerraform.create({ dir: path.join(dir, 'fake') });
      }
      const scaffolderDb = parkable(knex);
      const backend = await startTestBackend({
        features: [
          scaffolderPlugin,
          terraformModule,
          approvalsPlugin,
          catalogServiceMock.factory({
            entities: [
              template('postgres-database'),
              template('object-bucket'),
              SECRET_TEMPLATE,
              // The owners the tests' forms name, which plans record.
              ...testOrganisation(),
              BILLING,
            ],
          }),
          mockServices.database.factory({
            knex: scaffolderDb.knex,
            migrations: { skip: false },
          }),
          mockServices.rootConfig.factory({
            data: {
              backend: { baseUrl: 'http://localhost:7007' },
              app: { baseUrl: 'http://localhost:3000' },
              ...(options.scaffolder && { scaffolder: options.scaffolder }),
              paved: {
                terraform: {
                  binary: fakeTerraformPath,
                  modulesDir: MODULES,
                  workDir: path.join(dir, options.replica ?? 'first', 'work'),
                  planEncryptionKey: PLAN_KEY,
                  environment: fake.env,
                  secretEnvironment: { AWS_SECRET_ACCESS_KEY: PROVIDER_SECRET },
                  ...terraform,
                },
              },
            },
          }),
        ],
      });
      const { port } = backend.server.address() as AddressInfo;
      baseUrl = `http://localhost:${port}/api/scaffolder`;
      apiUrl = `http://localhost:${port}/api`;
      stop = async () => {
        await backend.stop();
        scaffolderDb.park();
      };
    }

    afterEach(async () => {
      await stop?.();
    });

    /** A request as the default mock user, or with `authorization` as another caller. */
    async function call(
      method: string,
      url: string,
      body?: unknown,
      authorization?: string,
    ) {
      const response = await fetch(
        `${url.startsWith('/v2') ? baseUrl : apiUrl}${url}`,
        {
          method,
          headers: {
            'content-type': 'application/json',
            ...(authorization && { authorization }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        },
      );
      const json = await response.json();
      if (!response.ok) {
        throw new Error(
          `${method} ${url}: ${response.status} ${JSON.stringify(json)}`,
        );
      }
      return json;
    }

    /**
     * A member of the owning group (not the requester, the default mock
     * user) approves the task's plan on the approvals API; the approvals
     * backend resumes the task.
     */
    async function approve(taskId: string, by: string = TEST_USERS.teamAMate) {
      const as = mockCredentials.user.header(by);
      const { items } = await call(
        'GET',
        '/approvals/requests?status=pending',
        undefined,
        as,
      );
      const request = items.find((r: any) => r.taskId === taskId);
      if (!request) throw new Error(`no pending approval for task ${taskId}`);
      const decided = await call(
        'POST',
        `/approvals/requests/${request.id}/approve`,
        {},
        as,
      );
      expect(decided).toMatchObject({ resumed: true });
      return decided.request;
    }

    const WAITING =
      /^Plan [0-9a-f-]{36} awaits approval by a member of group:default\/billing other than user:default\/mock: http:\/\/localhost:3000\/approvals\?request=[0-9a-f-]{36} Plan: 6 to add, 0 to change, 0 to destroy\. The task log above lists each resource with its action\. The task resumes when it is decided; retrying it approves nothing\. The plan expires at \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/;

    /** Waits until the task has finished, then returns it with its events. */
    async function finished(taskId: string) {
      for (let i = 0; i < 600; i++) {
        const task = await call('GET', `/v2/tasks/${taskId}`);
        if (['failed', 'completed', 'cancelled'].includes(task.status)) {
          // From the scaffolder's table: GET /v2/tasks/:id/events leaves a
          // poller running in Backstage 1.55 that outlives the backend.
          const rows = await knex('task_events')
            .where({ task_id: taskId })
            .orderBy('id');
          const events = rows.map(row => ({
            type: row.event_type as string,
            body: JSON.parse(row.body),
          }));
          return { task, events };
        }
        await new Promise(r => setTimeout(r, 100));
      }
      throw new Error(`task ${taskId} did not finish`);
    }

    /** A task log line as the task page shows it, without colour and level. */
    const plain = (line: unknown) =>
      stripVTControlCharacters(String(line)).replace(
        /^(info|warn|error): /,
        '',
      );
    const logLines = (events: Array<{ type: string; body: any }>) =>
      events.filter(e => e.type === 'log').map(e => plain(e.body.message));

    it('plans a bucket, asks its owners and stops; a Retry approves nothing; a teammate approves and exactly the reviewed plan is applied', async () => {
      await start();
      // The module's resources as declared; outputs as AWS would give them.
      fake.setScenario({
        outputs: {
          bucket_name: { value: '${var.name}' },
          bucket_arn: { value: 'arn:aws:s3:::${var.name}' },
          bucket_regional_domain_name: {
            value: '${var.name}.s3.eu-west-1.amazonaws.com',
          },
        },
      });
      const { id } = await call('POST', '/v2/tasks', {
        templateRef: 'template:default/object-bucket',
        values: {
          name: 'kestrel-invoices',
          owner: 'group:default/billing',
          versioning: true,
          corsAllowedOrigins: ['https://billing.kestrel.example'],
        },
      });

      const stopped = await finished(id);
      expect(stopped.task.status).toBe('failed');
      const completion = stopped.events.find(e => e.type === 'completion');
      expect(completion?.body.error.message).toMatch(WAITING);
      const lines = logLines(stopped.events);
      // The plan, each resource with its action, shown before anything is applied.
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^\d\/6 resources planned: aws_s3_bucket\.this will create$/,
          ),
          'Plan: 6 to add, 0 to change, 0 to destroy.',
          expect.stringMatching(
            /^Waiting for approval by group:default\/billing: http:\/\/localhost:3000\/approvals\?request=[0-9a-f-]{36}$/,
          ),
          '  + aws_s3_bucket.this (create)',
          '  + aws_s3_bucket_cors_configuration.this (create)',
        ]),
      );
      expect(fake.invocations().map(i => i.argv[0])).not.toContain('apply');
      const planCalls = fake.invocations().filter(i => i.argv[0] === 'plan');
      expect(planCalls).toHaveLength(1);
      // Template values reached terraform as typed JSON, never as HCL.
      const vars = JSON.parse(
        fs.readFileSync(
          path.join(planCalls[0].cwd, 'paved.auto.tfvars.json'),
          'utf8',
        ),
      );
      expect(vars).toEqual({
        name: 'kestrel-invoices',
        owner: 'billing',
        versioning: true,
        cors_allowed_origins: ['https://billing.kestrel.example'],
      });

      // Pressing Retry, even by the owners, approves nothing.
      await call('POST', `/v2/tasks/${id}/retry`, {});
      const retried = await finished(id);
      expect(retried.task.status).toBe('failed');
      expect(
        retried.events.filter(e => e.type === 'completion').at(-1)?.body.error
          .message,
      ).toMatch(WAITING);
      expect(fake.invocations().map(i => i.argv[0])).not.toContain('apply');

      const approved = await approve(id);
      const done = await finished(id);
      expect(done.task.status).toBe('completed');
      // The task page shows the events after the last resume only: the summary again.
      const again = logLines(
        done.events.slice(
          done.events.findLastIndex(e => e.type === 'recovered'),
        ),
      );
      expect(again).toContainEqual(
        expect.stringMatching(
          /^Plan [0-9a-f-]{36} to review: Plan: 6 to add, 0 to change, 0 to destroy\.$/,
        ),
      );
      expect(again).toContain(
        `Plan ${approved.subjectId} approved by ${TEST_USERS.teamAMate} at ${approved.decidedAt}`,
      );
      expect(again).toContain(
        'Apply complete! Resources: 6 added, 0 changed, 0 destroyed.',
      );
      // The plan was not made again: the approval applied the reviewed one.
      expect(fake.invocations().filter(i => i.argv[0] === 'plan')).toHaveLength(
        1,
      );
      const applies = fake.invocations().filter(i => i.argv[0] === 'apply');
      expect(applies.map(i => [i.cwd, i.argv.at(-1)])).toEqual([
        [planCalls[0].cwd, 'paved.tfplan'],
      ]);
      const output = done.events.find(e => e.type === 'completion')?.body
        .output;
      expect(output.text[0]).toEqual({
        title: 'Plan',
        content: 'Plan: 6 to add, 0 to change, 0 to destroy.',
      });
      expect(output.text[1]).toEqual({
        title: 'Bucket',
        content:
          'Bucket kestrel-invoices (arn:aws:s3:::kestrel-invoices), at kestrel-invoices.s3.eu-west-1.amazonaws.com.',
      });

      // Nothing secret in what the scaffolder keeps or shows.
      const kept = JSON.stringify([
        await knex('tasks').select(),
        await knex('task_events').select(),
        await knex('paved_terraform__plans').select(),
      ]);
      expect(kept).not.toContain(PROVIDER_SECRET);
    });

    it('with task recovery on, the approval resumes the task: the plan step is skipped, the request is not asked again, and exactly that plan is applied', async () => {
      await start({}, { scaffolder: { taskRecovery: { enabled: true } } });
      const { id } = await call('POST', '/v2/tasks', {
        templateRef: 'template:default/object-bucket',
        values: { name: 'kestrel-reviewed', owner: 'group:default/billing' },
      });
      const stopped = await finished(id);
      expect(
        stopped.events.find(e => e.type === 'completion')?.body.error.message,
      ).toMatch(WAITING);

      // The requester cannot approve their own plan.
      const { items } = await call(
        'GET',
        '/approvals/requests?status=pending',
        undefined,
        mockCredentials.user.header(),
      );
      expect(items).toEqual([
        expect.objectContaining({ taskId: id, canDecide: false }),
      ]);
      const approved = await approve(id, TEST_USERS.admin);
      const done = await finished(id);
      expect(done.task.status).toBe('completed');
      const again = logLines(
        done.events.slice(done.events.findIndex(e => e.type === 'recovered')),
      );
      expect(again).toEqual(
        expect.arrayContaining([
          'Skipping step plan because it was already completed in a previous run',
          `Plan ${approved.subjectId} approved by ${TEST_USERS.admin} at ${approved.decidedAt}`,
          'Apply complete! Resources: 6 added, 0 changed, 0 destroyed.',
        ]),
      );
      expect(fake.invocations().filter(i => i.argv[0] === 'plan')).toHaveLength(
        1,
      );
      expect(
        fake.invocations().filter(i => i.argv[0] === 'apply'),
      ).toHaveLength(1);
      expect(
        await knex('paved_approvals__requests').where({ task_id: id }).select(),
      ).toEqual([
        expect.objectContaining({
          status: 'approved',
          decided_by: TEST_USERS.admin,
          requester_ref: 'user:default/mock',
          owner_ref: 'group:default/billing',
        }),
      ]);
    });

    it('plans a database from its form values and applies it after review', async () => {
      await start();
      fake.setScenario(postgresScenario());
      const { id } = await call('POST', '/v2/tasks', {
        templateRef: 'template:default/postgres-database',
        values: {
          name: 'orders',
          owner: 'group:default/fulfilment',
          instanceClass: 'db.t4g.small',
          multiAz: true,
        },
      });
      expect((await finished(id)).task.status).toBe('failed');
      const planCall = fake.invocations().find(i => i.argv[0] === 'plan')!;
      expect(
        JSON.parse(
          fs.readFileSync(
            path.join(planCall.cwd, 'paved.auto.tfvars.json'),
            'utf8',
          ),
        ),
      ).toEqual({
        name: 'orders',
        owner: 'fulfilment',
        instance_class: 'db.t4g.small',
        multi_az: true,
      });
      await approve(id);
      const done = await finished(id);
      expect(done.task.status).toBe('completed');
      const output = done.events.find(e => e.type === 'completion')?.body
        .output;
      expect(output.text[1].content).toMatch(
        /^Host address-[0-9a-f]{8}, database orders\. The master credentials are in AWS Secrets Manager: /,
      );
      expect(JSON.stringify(done.events)).not.toContain(PROVIDER_SECRET);
    });

    it('hands a secret to terraform and keeps it out of every log, output, event and table', async () => {
      await start();
      fake.setScenario(postgresScenario());
      const { id } = await call('POST', '/v2/tasks', {
        templateRef: 'template:default/database-with-password',
        values: { name: 'payments' },
        secrets: { dbPassword: DB_SECRET },
      });
      expect((await finished(id)).task.status).toBe('failed');
      const planCall = fake.invocations().find(i => i.argv[0] === 'plan')!;
      // terraform got it, as a variable file only it can read.
      expect(
        JSON.parse(
          fs.readFileSync(
            path.join(planCall.cwd, 'paved.auto.tfvars.json'),
            'utf8',
          ),
        ).master_password,
      ).toBe(DB_SECRET);
      // The saved plan waiting for review is in the database, sealed.
      const sealed = await knex('paved_terraform__plan_files').select();
      expect(sealed).toHaveLength(1);
      expect(Buffer.from(sealed[0].content).includes(DB_SECRET)).toBe(false);
      await approve(id);
      const done = await finished(id);
      expect(done.task.status).toBe('completed');
      const output = done.events.find(e => e.type === 'completion')?.body
        .output;
      // The sensitive output is named, never valued.
      expect(JSON.parse(output.text[1].content)).toEqual({
        endpoint: expect.stringMatching(/^address-/),
        database_name: 'payments',
      });

      const tasks = await knex('tasks').select('id', 'spec', 'state', 'status');
      const visible = JSON.stringify([
        done.events,
        tasks,
        await knex('task_events').select(),
        await knex('paved_terraform__plans').select(),
        fake.invocations().map(i => i.argv),
      ]);
      expect(visible).not.toContain(DB_SECRET);
      expect(visible).not.toContain(PROVIDER_SECRET);
      // The variable file went with the applied plan.
      expect(fs.existsSync(planCall.cwd)).toBe(false);
    });

    it('applies the reviewed plan when the retry lands on another replica, the first one gone with its disk', async () => {
      await start();
      fake.setScenario(postgresScenario());
      const { id } = await call('POST', '/v2/tasks', {
        templateRef: 'template:default/database-with-password',
        values: { name: 'moved' },
        secrets: { dbPassword: DB_SECRET },
      });
      expect((await finished(id)).task.status).toBe('failed');
      const planCall = fake.invocations().find(i => i.argv[0] === 'plan')!;
      // The replica that planned stops, and its work directory goes too.
      await stop();
      fs.rmSync(path.join(dir, 'first'), { recursive: true, force: true });

      await start({}, { replica: 'second' });
      await approve(id);
      const done = await finished(id);
      expect(done.task.status).toBe('completed');
      const lines = logLines(
        done.events.slice(done.events.findIndex(e => e.type === 'recovered')),
      );
      expect(lines).toContainEqual(
        expect.stringMatching(
          /^Plan [0-9a-f-]{36} is not on this replica: restoring it from the database \(.+, checksum verified\)$/,
        ),
      );
      expect(lines).toContain(
        'Apply complete! Resources: 4 added, 0 changed, 0 destroyed.',
      );
      // Planned once, on the first replica; applied on the second, from
      // the same relative run directory rebuilt there.
      expect(fake.invocations().filter(i => i.argv[0] === 'plan')).toHaveLength(
        1,
      );
      const apply = fake.invocations().find(i => i.argv[0] === 'apply')!;
      expect(apply.cwd).toBe(
        planCall.cwd.replace(path.join(dir, 'first'), path.join(dir, 'second')),
      );
      expect(apply.argv.at(-1)).toBe('paved.tfplan');
      const output = done.events.find(e => e.type === 'completion')?.body
        .output;
      expect(JSON.parse(output.text[1].content).database_name).toBe('moved');
      const kept = await knex('paved_terraform__plan_files').select();
      expect(kept).toEqual([]);
      expect(JSON.stringify(done.events)).not.toContain(DB_SECRET);
    });

    it('runs no terraform in a dry run: it says what it would plan, and review and apply are left out', async () => {
      await start();
      const result = await call('POST', '/v2/dry-run', {
        template: template('object-bucket'),
        values: { name: 'dry-bucket', owner: 'group:default/billing' },
        directoryContents: [],
      });
      const lines = result.log.map((l: any) => plain(l.body.message));
      expect(lines).toContainEqual(
        expect.stringMatching(
          /^Dry run: would plan module object-bucket in workspace dry-bucket with variables \{"name":"dry-bucket","owner":"billing"/,
        ),
      );
      expect(lines).toContainEqual(
        expect.stringMatching(
          /^Dry run: owner check passed: the workspace would be recorded as owned by group:default\/billing/,
        ),
      );
      expect(lines).not.toContainEqual(
        expect.stringMatching(/^Dry run: a real run stops here/),
      );
      expect(fake.invocations()).toEqual([]);
      expect(await knex('paved_terraform__workspace_owners')).toEqual([]);
      expect(await knex('paved_terraform__workspace_leases')).toEqual([]);
      expect(result.output.text[0].content).toBe(
        'Dry run: would plan module object-bucket in workspace dry-bucket; nothing was planned.',
      );
    });

    it('fails plainly when the terraform binary is missing, naming the configured path', async () => {
      const missing = path.join(mockDir.path, 'no', 'terraform');
      await start({ binary: missing });
      const { id } = await call('POST', '/v2/tasks', {
        templateRef: 'template:default/object-bucket',
        values: { name: 'nobin-bucket', owner: 'group:default/billing' },
      });
      const { task, events } = await finished(id);
      expect(task.status).toBe('failed');
      expect(
        events.find(e => e.type === 'completion')?.body.error.message,
      ).toBe(
        `Terraform binary not found: "${missing}" does not exist (paved.terraform.binary: set it to the path of terraform or tofu)`,
      );
    });
  },
);
