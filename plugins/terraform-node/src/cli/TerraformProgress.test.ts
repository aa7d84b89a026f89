import { SecretRedactor } from '../SecretRedactor';
import { planSummaryLines } from '../plans/summarizePlan';
import { TerraformProgress } from './TerraformProgress';
import { TerraformProgressEvent } from '../TerraformRunner';

const ui = (type: string, message: string, fields: object = {}) => ({
  '@level': 'info',
  '@message': message,
  '@module': 'terraform.ui',
  '@timestamp': '2026-12-01T00:00:00.000000Z',
  type,
  ...fields,
});
const resource = (i: number) => ({
  addr: `aws_s3_object.o${i}`,
  resource_type: 'aws_s3_object',
});

function progress(operation: 'plan' | 'apply', total: number) {
  const events: TerraformProgressEvent[] = [];
  const p = new TerraformProgress({
    operation,
    total,
    redactor: SecretRedactor.create(['s3cr3t-value']),
    emit: e => events.push(e),
  });
  return { p, events, lines: () => events.map(e => e.message) };
}

describe('TerraformProgress', () => {
  it('lists the first 50 planned resources, then a count line every 100, and ends on the total', () => {
    const { p, lines } = progress('plan', 6);
    for (let i = 0; i < 5000; i++) {
      p.handle(
        ui('planned_change', `aws_s3_object.o${i}: Plan to create`, {
          change: { resource: resource(i), action: 'create' },
        }),
      );
    }
    p.handle(
      ui('change_summary', 'Plan: 5000 to add, 0 to change, 0 to destroy.', {
        changes: { add: 5000, change: 0, remove: 0, operation: 'plan' },
      }),
    );
    const out = lines();
    expect(out).toHaveLength(50 + 1 + 49 + 1 + 1);
    expect(out[0]).toBe('1/6 resources planned: aws_s3_object.o0 will create');
    expect(out[49]).toBe(
      '50/50 resources planned: aws_s3_object.o49 will create',
    );
    expect(out[50]).toBe(
      'More than 50 resources: from here on, one line every 100',
    );
    expect(out[51]).toBe('100/100 resources planned');
    expect(out.at(-3)).toBe('4900/4900 resources planned');
    expect(out.at(-2)).toBe('5000/5000 resources planned');
    expect(out.at(-1)).toBe('Plan: 5000 to add, 0 to change, 0 to destroy.');
  });

  it('keeps every line of a small plan', () => {
    const { p, lines } = progress('plan', 3);
    for (let i = 0; i < 3; i++) {
      p.handle(
        ui('planned_change', '', {
          change: { resource: resource(i), action: 'create' },
        }),
      );
    }
    p.handle(
      ui('change_summary', 'Plan: 3 to add, 0 to change, 0 to destroy.'),
    );
    expect(lines()).toEqual([
      '1/3 resources planned: aws_s3_object.o0 will create',
      '2/3 resources planned: aws_s3_object.o1 will create',
      '3/3 resources planned: aws_s3_object.o2 will create',
      'Plan: 3 to add, 0 to change, 0 to destroy.',
    ]);
  });

  it('counts an apply past the first resources, yet always shows errors and diagnostics', () => {
    const { p, lines, events } = progress('apply', 250);
    for (let i = 0; i < 250; i++) {
      const hook = { resource: resource(i), action: 'create' };
      p.handle(ui('apply_start', `aws_s3_object.o${i}: Creating...`, { hook }));
      p.handle(
        ui('apply_progress', `aws_s3_object.o${i}: Still creating...`, {
          hook,
        }),
      );
      if (i === 200) {
        p.handle(
          ui('apply_errored', `aws_s3_object.o${i}: Creation errored`, {
            hook,
          }),
        );
        p.handle({
          ...ui('diagnostic', 'Error: bucket gone'),
          '@level': 'error',
          diagnostic: {
            severity: 'error',
            summary: 'bucket gone',
            detail: 'key s3cr3t-value',
          },
        });
        continue;
      }
      p.handle(
        ui('apply_complete', `aws_s3_object.o${i}: Creation complete`, {
          hook,
        }),
      );
    }
    p.handle(
      ui('change_summary', 'Apply complete! Resources: 249 added.', {
        changes: { add: 249, change: 0, remove: 0, operation: 'apply' },
      }),
    );
    const out = lines();
    // Three lines each for the first 50, then counts.
    expect(out.slice(0, 3)).toEqual([
      'Applying 1/250: aws_s3_object.o0: Creating...',
      'aws_s3_object.o0: Still creating...',
      '1/250 applied: aws_s3_object.o0: Creation complete',
    ]);
    expect(out.filter(l => /Still creating/.test(l))).toHaveLength(50);
    expect(out.filter(l => /^\d+\/250 applied$/.test(l))).toEqual([
      '100/250 applied',
      '200/250 applied',
      '249/250 applied',
    ]);
    expect(out).toContain('aws_s3_object.o200: Creation errored');
    expect(out).toContain('Error: bucket gone: key ***');
    expect(events.find(e => e.type === 'apply_errored')?.level).toBe('error');
    expect(out.length).toBeLessThan(3 * 50 + 10);
    expect(p.applied.size).toBe(249);
  });
});

describe('planSummaryLines', () => {
  const change = (i: number, action: any, type = 'aws_s3_object') => ({
    address: `${type}.o${i}`,
    type,
    name: `o${i}`,
    action,
  });

  it('lists every resource of a small plan', () => {
    expect(
      planSummaryLines({
        resources: [change(1, 'create'), change(2, 'update')],
      }),
    ).toEqual([
      '  + aws_s3_object.o1 (create)',
      '  ~ aws_s3_object.o2 (update)',
    ]);
  });

  it('lists destroys and replacements first, then counts what does not fit by action and type', () => {
    const resources = [
      ...Array.from({ length: 4990 }, (_, i) => change(i, 'create')),
      change(9000, 'replace', 'aws_db_instance'),
      ...Array.from({ length: 9 }, (_, i) =>
        change(9100 + i, 'update', 'aws_iam_role'),
      ),
      change(9200, 'delete'),
    ];
    const lines = planSummaryLines({ resources }, 50);
    expect(lines).toHaveLength(51);
    expect(lines.slice(0, 3)).toEqual([
      '  -/+ aws_db_instance.o9000 (replace)',
      '  - aws_s3_object.o9200 (delete)',
      '  + aws_s3_object.o0 (create)',
    ]);
    expect(lines[50]).toBe(
      '  ... and 4,951 more (the plan summary lists every resource): + 4,942 aws_s3_object (create), ~ 9 aws_iam_role (update)',
    );
  });
});
