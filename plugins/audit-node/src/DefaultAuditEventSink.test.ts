import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DefaultAuditEventSink } from './DefaultAuditEventSink';

const event = (
  status: 'initiated' | 'succeeded',
  severityLevel: 'low' | 'high',
  n = 0,
) =>
  ({
    plugin: 'catalog',
    eventId: 'entity-fetch',
    severityLevel,
    actor: {},
    status,
    meta: { n },
  } as const);

describe('DefaultAuditEventSink', () => {
  it('keeps outcomes, and starts only of high-severity operations', () => {
    const sink = DefaultAuditEventSink.create();
    sink.push(event('initiated', 'low'));
    sink.push(event('succeeded', 'low'));
    sink.push(event('initiated', 'high'));
    expect(sink.take(10).map(r => [r.status, r.severity])).toEqual([
      ['succeeded', 'low'],
      ['initiated', 'high'],
    ]);
    expect(sink.pending()).toBe(0);
  });

  it('tells when a batch is ready, puts back in front, and drops the oldest when full', () => {
    const logger = mockServices.logger.mock();
    const sink = DefaultAuditEventSink.create({
      batchSize: 2,
      maxPending: 3,
      logger,
    });
    const ready = jest.fn();
    sink.onBatchReady(ready);
    sink.push(event('succeeded', 'low', 1));
    expect(ready).not.toHaveBeenCalled();
    sink.push(event('succeeded', 'low', 2));
    expect(ready).toHaveBeenCalledTimes(1);
    const [first] = sink.take(1);
    sink.putBack([first]);
    sink.push(event('succeeded', 'low', 3));
    sink.push(event('succeeded', 'low', 4));
    expect(sink.take(10).map(r => r.meta!.n)).toEqual([2, 3, 4]);
    expect(logger.warn).toHaveBeenCalledWith(
      'Audit records dropped: nothing drained the sink',
      { dropped: 1 },
    );
  });

  it('leaves out outcomes below paved.audit.minimumSeverity, but never a failure', () => {
    const sink = DefaultAuditEventSink.fromConfig(
      new ConfigReader({ paved: { audit: { minimumSeverity: 'high' } } }),
    );
    sink.push(event('succeeded', 'low', 1));
    sink.push({
      ...event('succeeded', 'low', 2),
      status: 'failed',
      error: new Error('no'),
    });
    sink.push(event('succeeded', 'high', 3));
    expect(sink.take(10).map(r => r.meta!.n)).toEqual([2, 3]);
    expect(() =>
      DefaultAuditEventSink.fromConfig(
        new ConfigReader({ paved: { audit: { minimumSeverity: 'loud' } } }),
      ),
    ).toThrow(
      "Invalid paved.audit.minimumSeverity 'loud': expected one of low, medium, high, critical",
    );
  });
});
