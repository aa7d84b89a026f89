/*
 * Task recovery and the Terraform review (templates/terraform/README.md):
 * the review step stops the task, and only a person's Retry may approve the
 * plan. The real backend (src/index.ts in a child process, stand-in
 * terraform) runs the object bucket template with one step added after the
 * review, a debug:wait that runs even after the review stopped the task
 * (`if: always()`), and is killed with SIGKILL during it: the review's
 * checkpoint is saved, the task not yet failed, exactly what a crash in the
 * few writes between the review's stop and the task's end leaves behind.
 * Started again, the recovered task must stop at the review again, and
 * apply nothing until the Retry. Then the golden path itself with recovery
 * on: it stops at the review, and the Retry applies the plan.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeTerraform, fakeTerraformPath } from '@paved/testkit';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import {
  ChildBackend,
  guestApi,
  killChildBackend,
  startChildBackend,
} from './__testUtils__/childBackend';
import { ROOT, eventually, freePort, logMessage } from './__testUtils__/wiring';

jest.setTimeout(180_000);

const TEMPLATE_NAME = 'object-bucket-paused';

/** The object bucket template with a pause after its review step. */
function writeTemplate(dir: string): string {
  const template = parseYaml(
    fs.readFileSync(
      path.join(ROOT, 'templates/terraform/object-bucket/template.yaml'),
      'utf8',
    ),
  );
  template.metadata.name = TEMPLATE_NAME;
  const steps: any[] = template.spec.steps;
  const review = steps.findIndex(s => s.action === 'paved:terraform:review');
  if (review < 0 || steps[review + 1]?.action !== 'paved:terraform:apply') {
    throw new Error(
      'templates/terraform/object-bucket is expected to review, then apply',
    );
  }
  steps.splice(review + 1, 0, {
    id: 'pause',
    name: 'Pause (test)',
    if: '${{ always() }}',
    action: 'debug:wait',
    input: { seconds: 5 },
  });
  const file = path.join(dir, 'template.yaml');
  fs.writeFileSync(file, stringifyYaml(template));
  return file;
}

describe('the Terraform review with task recovery on (SQLite)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-review-'));
  const dataDir = path.join(dir, 'data');
  const fake = FakeTerraform.create({ dir: path.join(dir, 'fake') });
  const applies = () => fake.invocations().filter(i => i.argv[0] === 'apply');
  let backend: ChildBackend | undefined;
  let api: Awaited<ReturnType<typeof guestApi>>;
  let taskId: string;
  /** What the recovered run did, before any Retry. */
  let recovered: { applies: number; error?: string; log: string[] };

  afterAll(async () => {
    await killChildBackend(backend);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const events = async () =>
    (await api(`/scaffolder/v2/tasks/${taskId}/events`)).body as any[];
  const statusOf = (all: any[], stepId: string) =>
    all
      .filter(e => e.type === 'log' && e.body.stepId === stepId)
      .map(e => e.body.status)
      .filter(Boolean)
      .pop();

  it('recovers a task killed after its review stopped it, and runs it to its end', async () => {
    const port = await freePort();
    const baseUrl = `http://localhost:${port}`;
    const templateFile = writeTemplate(dir);
    const overrides = {
      app: { baseUrl },
      backend: { baseUrl, listen: { port, host: '127.0.0.1' } },
      catalog: {
        locations: [
          ...[
            templateFile,
            path.join(ROOT, 'templates/terraform/object-bucket/template.yaml'),
          ].map(target => ({
            type: 'file',
            target,
            rules: [{ allow: ['Template'] }],
          })),
        ],
      },
      paved: {
        terraform: { binary: fakeTerraformPath, environment: fake.env },
      },
    };
    const start = () =>
      startChildBackend({ port, dataDir, configDir: dir, overrides });

    backend = await start();
    api = await guestApi(baseUrl);
    await eventually('the template in the catalogue', async () => {
      const res = await api(
        `/catalog/entities/by-name/template/default/${TEMPLATE_NAME}`,
      );
      return res.status === 200 ? true : undefined;
    });
    const created = await api('/scaffolder/v2/tasks', {
      templateRef: `template:default/${TEMPLATE_NAME}`,
      values: { name: 'kestrel-invoices', owner: 'group:default/billing' },
    });
    expect(created.status).toBe(201);
    taskId = created.body.id;

    // The review stopped the task; the crash comes before the task ended.
    await eventually('the pause after the review', async () => {
      const all = await events();
      if (all.some(e => e.type === 'completion')) {
        throw new Error(`the task ended early: ${JSON.stringify(all)}`);
      }
      return statusOf(all, 'pause') === 'processing' ? true : undefined;
    });
    expect(statusOf(await events(), 'review')).toBe('failed');
    await killChildBackend(backend);

    backend = await start();
    const all = await eventually(
      'the recovered task to end',
      async () => {
        const found = await events();
        return found.some(e => e.type === 'recovered') &&
          found.some(e => e.type === 'completion')
          ? found
          : undefined;
      },
      undefined,
      90_000,
    );
    expect(fake.invocations().filter(i => i.argv[0] === 'plan')).toHaveLength(
      1,
    );
    recovered = {
      applies: applies().length,
      error: all.find(e => e.type === 'completion')!.body.error?.message,
      log: all
        .filter(e => e.type === 'log')
        .map(e => `${e.body.stepId ?? '-'}: ${logMessage(e.body.message)}`),
    };
  });

  // The review's checkpoint was saved before it stopped the task; the
  // recovered run keeps the task's stored secrets, so paved:terraform:review sees
  // the token it stopped under and stops again (a Retry brings a new one).
  it('stops at the review again, applying nothing until a person retries it', () => {
    expect(recovered).toMatchObject({
      applies: 0,
      error: expect.stringMatching(/^Review the plan, then approve it\./),
    });
    expect(recovered.log).toContainEqual(
      expect.stringMatching(
        /^review: Plan [0-9a-f-]{36} is not approved: the task was resumed after its backend stopped, not retried by a person /,
      ),
    );
  });

  it('ends completed after the Retry, the reviewed plan applied exactly once', async () => {
    const retried = await api(`/scaffolder/v2/tasks/${taskId}/retry`, {});
    expect(retried.status).toBe(201);
    const task = await eventually('the retried task to end', async () => {
      const res = await api(`/scaffolder/v2/tasks/${taskId}`);
      return ['completed', 'failed'].includes(res.body.status)
        ? res.body
        : undefined;
    });
    expect(task.status).toBe('completed');
    expect(applies()).toHaveLength(1);
    expect(fake.invocations().filter(i => i.argv[0] === 'plan')).toHaveLength(
      1,
    );
  });

  it('stops the golden path at the review, and its Retry applies the plan without planning again', async () => {
    const before = {
      plans: fake.invocations().filter(i => i.argv[0] === 'plan').length,
      applies: applies().length,
    };
    const created = await api('/scaffolder/v2/tasks', {
      templateRef: 'template:default/object-bucket',
      values: { name: 'kestrel-archive', owner: 'group:default/billing' },
    });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    const ended = async () =>
      eventually('the task to end', async () => {
        const res = await api(`/scaffolder/v2/tasks/${id}`);
        if (!['completed', 'failed'].includes(res.body.status))
          return undefined;
        const all = (await api(`/scaffolder/v2/tasks/${id}/events`))
          .body as any[];
        return { status: res.body.status as string, events: all };
      });
    const stopped = await ended();
    expect(stopped.status).toBe('failed');
    expect(
      stopped.events.find(e => e.type === 'completion')!.body.error.message,
    ).toMatch(/^Review the plan, then approve it\./);
    expect(applies()).toHaveLength(before.applies);

    await api(`/scaffolder/v2/tasks/${id}/retry`, {});
    const done = await ended();
    const log = done.events
      .filter(e => e.type === 'log')
      .map(e => `${e.body.stepId ?? '-'}: ${logMessage(e.body.message)}`);
    expect({ status: done.status, log }).toMatchObject({ status: 'completed' });
    // With task recovery on, the retry skips the completed plan step and
    // reuses its output (the same plan id); the review approves, apply applies.
    expect(log).toEqual(
      expect.arrayContaining([
        'plan: Skipping step plan because it was already completed in a previous run',
        expect.stringMatching(
          /^review: Plan [0-9a-f-]{36} approved: the task was retried after it stopped for review at /,
        ),
        'apply: Apply complete! Resources: 6 added, 0 changed, 0 destroyed.',
      ]),
    );
    expect(fake.invocations().filter(i => i.argv[0] === 'plan')).toHaveLength(
      before.plans + 1,
    );
    expect(applies()).toHaveLength(before.applies + 1);
  });
});
