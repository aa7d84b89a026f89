/*
 * Task recovery and the Terraform review (templates/terraform/README.md):
 * the review step asks the owning group to approve the plan (the approvals
 * plugin) and stops the task; neither a recovery nor a Retry approves it,
 * only a decision on the approvals API, which resumes the task. The real backend (src/index.ts in a child process, stand-in
 * terraform) runs the object bucket template with one step added after the
 * review, a debug:wait that runs even after the review stopped the task
 * (`if: always()`), and is killed with SIGKILL during it: the review's
 * checkpoint is saved, the task not yet failed, exactly what a crash in the
 * few writes between the review's stop and the task's end leaves behind.
 * Started again, the recovered task must stop at the review again, and
 * apply nothing until the approval. Then the golden path itself with
 * recovery on: it stops at the review, a Retry stops it again, and the
 * approval resumes it and applies the plan. The guest is the only person
 * who can sign in here, so this backend lets a requester approve their own
 * plan (paved.permissions.allowSelfApproval); the approvals backend's tests
 * refuse it in the default setting.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeTerraform, fakeTerraformPath } from '@paved/testkit';
import { stringify as stringifyYaml } from 'yaml';
import {
  ChildBackend,
  guestApi,
  untilGuestIsAdmin,
  killChildBackend,
  startChildBackend,
} from './__testUtils__/childBackend';
import { terraformStepsOf } from './__testUtils__/terraformSteps';
import { ROOT, eventually, freePort, logMessage } from './__testUtils__/wiring';

jest.setTimeout(180_000);

const TEMPLATE_NAME = 'object-bucket-paused';

/** The object bucket's Terraform steps as a template of their own. */
function writeBucketTemplate(dir: string): string {
  const file = path.join(dir, 'object-bucket.yaml');
  fs.writeFileSync(file, stringifyYaml(terraformStepsOf('object-bucket')));
  return file;
}

/** The object bucket template with a pause after its review step. */
function writeTemplate(dir: string): string {
  const template = terraformStepsOf('object-bucket');
  template.metadata.name = TEMPLATE_NAME;
  const steps: any[] = template.spec.steps;
  const review = steps.findIndex(s => s.action === 'paved:terraform:review');
  if (review < 0 || steps[review + 1]?.action !== 'paved:terraform:apply') {
    throw new Error(
      'templates/object-bucket is expected to review, then apply',
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
  /** The task's pending request, approved on the approvals API. */
  const approve = async (id: string) => {
    const { body } = await api('/approvals/requests?status=pending');
    const request = body.items.find((r: any) => r.taskId === id);
    if (!request) throw new Error(`no pending approval for task ${id}`);
    return api(`/approvals/requests/${request.id}/approve`, {});
  };
  const AWAITS =
    /^Plan [0-9a-f-]{36} awaits approval by a member of group:default\/platform other than user:default\/guest: /;
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
          {
            type: 'file',
            target: path.join(ROOT, 'catalog/org.yaml'),
            rules: [{ allow: ['Group', 'User'] }],
          },
          ...[templateFile, writeBucketTemplate(dir)].map(target => ({
            type: 'file',
            target,
            rules: [{ allow: ['Template'] }],
          })),
        ],
      },
      paved: {
        terraform: { binary: fakeTerraformPath, environment: fake.env },
        permissions: {
          adminGroups: ['group:default/platform'],
          allowSelfApproval: true,
        },
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
    await untilGuestIsAdmin(api);
    const created = await api('/scaffolder/v2/tasks', {
      templateRef: `template:default/${TEMPLATE_NAME}`,
      values: { name: 'kestrel-invoices', owner: 'group:default/platform' },
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

  // The review's checkpoint holds the request, still pending: the
  // recovered run reads it and stops again.
  it('stops at the review again, applying nothing until the plan is approved', async () => {
    expect(recovered).toMatchObject({
      applies: 0,
      error: expect.stringMatching(AWAITS),
    });
    expect(recovered.log).toContainEqual(
      expect.stringMatching(
        /^review: Waiting for approval by group:default\/platform: http:\/\/localhost:\d+\/approvals\?request=[0-9a-f-]{36}$/,
      ),
    );
    const pending = await api('/approvals/requests?status=pending');
    expect(pending.body.items).toEqual([
      expect.objectContaining({
        taskId,
        status: 'pending',
        ownerRef: 'group:default/platform',
        requesterRef: 'user:default/guest',
        target: 'terraform workspace kestrel-invoices',
      }),
    ]);
  });

  it('ends completed after the approval resumes it, the reviewed plan applied exactly once', async () => {
    const decided = await approve(taskId);
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({
      resumed: true,
      request: { status: 'approved', decidedBy: 'user:default/guest' },
    });
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

  it('stops the golden path at the review; a Retry approves nothing; the approval applies the plan without planning again', async () => {
    const before = {
      plans: fake.invocations().filter(i => i.argv[0] === 'plan').length,
      applies: applies().length,
    };
    const created = await api('/scaffolder/v2/tasks', {
      templateRef: 'template:default/object-bucket',
      values: { name: 'kestrel-archive', owner: 'group:default/platform' },
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
    ).toMatch(AWAITS);
    expect(applies()).toHaveLength(before.applies);

    // Pressing Retry approves nothing: the review stops the task again.
    expect((await api(`/scaffolder/v2/tasks/${id}/retry`, {})).status).toBe(
      201,
    );
    const retried = await ended();
    expect(retried.status).toBe('failed');
    expect(
      retried.events.filter(e => e.type === 'completion').at(-1)!.body.error
        .message,
    ).toMatch(AWAITS);
    expect(applies()).toHaveLength(before.applies);

    expect((await approve(id)).status).toBe(200);
    const done = await ended();
    const log = done.events
      .filter(e => e.type === 'log')
      .map(e => `${e.body.stepId ?? '-'}: ${logMessage(e.body.message)}`);
    expect({ status: done.status, log }).toMatchObject({ status: 'completed' });
    // With task recovery on, the resumed task skips the completed plan step
    // and reuses its output (the same plan id); the review reads the
    // approval, apply applies.
    expect(log).toEqual(
      expect.arrayContaining([
        'plan: Skipping step plan because it was already completed in a previous run',
        expect.stringMatching(
          /^review: Plan [0-9a-f-]{36} approved by user:default\/guest at /,
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
