import { mockServices } from '@backstage/backend-test-utils';
import { AuditRecord, DefaultAuditEventSink } from '@paved/plugin-audit-node';
import { AuditStore } from '../store/AuditStore';
import { AuditDrain } from './AuditDrain';

const event = (n: number) =>
  ({
    plugin: 'scaffolder',
    eventId: 'repository-delete',
    severityLevel: 'high',
    actor: {},
    status: 'succeeded',
    meta: { n },
  } as const);

/** A store that refuses its first `failures` writes, as a database that is down. */
function flakyStore(failures: number) {
  const stored: AuditRecord[] = [];
  let calls = 0;
  const store: AuditStore = {
    insert: async records => {
      calls += 1;
      if (calls <= failures) throw new Error('connection refused');
      stored.push(...records);
    },
    query: async () => ({ events: [] }),
    deleteOlderThan: async () => 0,
  };
  return { store, stored };
}

describe('AuditDrain', () => {
  it('writes in batches, keeps a batch the store refused for the next round, and loses nothing', async () => {
    const sink = DefaultAuditEventSink.create();
    const logger = mockServices.logger.mock();
    const { store, stored } = flakyStore(1);
    const drain = AuditDrain.create({ sink, store, logger, batchSize: 2 });
    for (let n = 1; n <= 5; n++) sink.push(event(n));

    await drain.flush();
    expect(stored).toEqual([]);
    expect(sink.pending()).toBe(5);
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not store audit events; will retry',
      { count: 2, error: 'Error: connection refused' },
    );

    await drain.flush();
    expect(stored.map(r => r.meta!.n)).toEqual([1, 2, 3, 4, 5]);
    expect(sink.pending()).toBe(0);
  });

  it('writes a full batch at once, what waits when it stops, and nothing after', async () => {
    const sink = DefaultAuditEventSink.create({ batchSize: 3 });
    const { store, stored } = flakyStore(0);
    const drain = AuditDrain.create({
      sink,
      store,
      logger: mockServices.logger.mock(),
      intervalMs: 3_600_000,
    });
    drain.start();
    // a full batch is written at once, not at the next interval
    for (let n = 1; n <= 3; n++) sink.push(event(n));
    await new Promise(r => setTimeout(r, 20));
    expect(stored.map(r => r.meta!.n)).toEqual([1, 2, 3]);
    sink.push(event(4));
    await drain.stop();
    expect(stored.map(r => r.meta!.n)).toEqual([1, 2, 3, 4]);
    for (let n = 5; n <= 7; n++) sink.push(event(n));
    await new Promise(r => setTimeout(r, 20));
    expect(stored).toHaveLength(4);
  });
});
