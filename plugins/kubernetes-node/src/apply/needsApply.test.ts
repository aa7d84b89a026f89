import { containsDesired, managedFieldPaths, needsApply } from './needsApply';

const desired = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'settings',
    namespace: 'shop-dev',
    labels: { app: 'shop' },
  },
  data: { a: '1' },
};

const managed = (
  fieldsV1: unknown,
  manager = 'paved',
  operation = 'Apply',
) => ({ manager, operation, fieldsV1 });

const live = (
  overrides: Record<string, any> = {},
  fieldsV1: unknown = {
    'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
    'f:data': { '.': {}, 'f:a': {} },
  },
) => ({
  ...desired,
  metadata: {
    ...desired.metadata,
    uid: 'u',
    resourceVersion: '7',
    creationTimestamp: new Date('2026-01-02T03:04:05Z'),
    labels: { app: 'shop', 'kubernetes.io/extra': 'x' },
    managedFields: [managed(fieldsV1)],
  },
  data: { a: '1' },
  ...overrides,
});

describe('needsApply', () => {
  it('is false when the live object already holds every desired field and only those are owned', () => {
    expect(needsApply(desired, live(), 'paved')).toBe(false);
  });

  it('is true when the object is missing, a value differs, or another manager owns the fields', () => {
    expect(needsApply(desired, undefined, 'paved')).toBe(true);
    expect(needsApply(desired, live({ data: { a: '2' } }), 'paved')).toBe(true);
    const other = live();
    other.metadata.managedFields = [managed({}, 'kubectl', 'Update')];
    expect(needsApply(desired, other, 'paved')).toBe(true);
  });

  it('is true when the manager owns a field the manifest no longer sets', () => {
    const owned = {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:data': { 'f:a': {}, 'f:b': {} },
    };
    expect(
      needsApply(desired, live({ data: { a: '1', b: '2' } }, owned), 'paved'),
    ).toBe(true);
  });

  it('compares lists whole and cuts owned paths at lists', () => {
    expect(containsDesired({ x: [1, 2] }, { x: [1, 2] })).toBe(true);
    expect(containsDesired({ x: [1, 2, 3] }, { x: [1, 2] })).toBe(false);
    expect(containsDesired({ x: [{ a: 1, b: 2 }] }, { x: [{ a: 1 }] })).toBe(
      true,
    );
    expect([
      ...managedFieldPaths({
        'f:spec': {
          'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {} } },
          'f:args': {},
        },
        'f:metadata': { 'f:name': {} },
      }),
    ]).toEqual(['spec.containers', 'spec.args']);
  });
});
