import { toAuditRecord } from './toAuditRecord';

const base = {
  plugin: 'scaffolder',
  eventId: 'namespace-delete',
  severityLevel: 'high' as const,
  actor: { actorId: 'plugin:scaffolder' },
};

describe('toAuditRecord', () => {
  it('takes actor, target and task from what a Paved action reports', () => {
    const record = toAuditRecord(
      {
        ...base,
        status: 'succeeded',
        meta: {
          actor: 'user:default/lena-fischer',
          target: 'namespace storefront-cart-dev',
          taskId: 't1',
        },
      },
      1234,
    );
    expect(record).toMatchObject({
      time: 1234,
      plugin: 'scaffolder',
      eventId: 'namespace-delete',
      severity: 'high',
      status: 'succeeded',
      actor: 'user:default/lena-fischer',
      target: 'namespace storefront-cart-dev',
      taskId: 't1',
      error: null,
    });
    expect(record.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("falls back on the auditor's actor and the meta's best summary of a target", () => {
    const record = toAuditRecord({
      ...base,
      eventId: 'entity-mutate',
      status: 'failed',
      error: Object.assign(new Error('no'), { name: 'NotAllowedError' }),
      meta: { entityRef: 'component:default/cart', actor: null },
    });
    expect(record).toMatchObject({
      actor: 'plugin:scaffolder',
      target: 'component:default/cart',
      taskId: null,
      error: 'NotAllowedError: no',
    });
  });

  it("names the catalogue's entities as the target of a read by refs", () => {
    const record = toAuditRecord({
      ...base,
      eventId: 'entity-fetch',
      status: 'succeeded',
      meta: { queryType: 'by-refs', entityRefs: ['group:default/kestrel'] },
    });
    expect(record.target).toBe('["group:default/kestrel"]');
  });

  it('drops secret-looking keys at any depth and caps the size', () => {
    const record = toAuditRecord({
      ...base,
      status: 'succeeded',
      meta: {
        target: 'repository kestrel/cart',
        token: 'ghp_abc',
        clientSecret: 's',
        password: 'p',
        apiKey: 'k',
        key: 'k',
        values: { DB_PASSWORD: 'p', private_key: 'k', region: 'eu' },
        big: 'x'.repeat(5000),
      },
    });
    const json = JSON.stringify(record.meta);
    for (const secret of ['ghp_abc', '"s"', '"p"', '"k"']) {
      expect(json).not.toContain(secret);
    }
    expect(record.meta).toMatchObject({ values: { region: 'eu' } });
    expect((record.meta!.big as string).length).toBeLessThanOrEqual(1025);

    const huge = toAuditRecord({
      ...base,
      status: 'succeeded',
      meta: {
        target: 't',
        list: Array.from({ length: 50 }, () => 'y'.repeat(1000)),
      },
    });
    expect(huge.meta).toEqual({ truncated: true, target: 't' });
  });
});

describe('record ids', () => {
  it('sort as the events happened, within one millisecond too', () => {
    const event = { ...base, status: 'succeeded' as const };
    const ids = [1000, 1000, 1000, 1001, 5000].map(
      t => toAuditRecord(event, t).id,
    );
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(5);
    expect(ids[0]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
