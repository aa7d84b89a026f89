import { mockServices } from '@backstage/backend-test-utils';

/** One audited event as the auditor saw it, with how it ended. */
export interface RecordedEvent {
  eventId: string;
  severityLevel?: string;
  meta?: Record<string, unknown>;
  outcome: 'initiated' | 'succeeded' | 'failed';
  error?: string;
}

/** A mock auditor that records every event and its outcome. */
export function recordingAuditor() {
  const events: RecordedEvent[] = [];
  const auditor = mockServices.auditor.mock({
    createEvent: jest.fn(async (options: any) => {
      const event: RecordedEvent = {
        eventId: options.eventId,
        severityLevel: options.severityLevel,
        meta: options.meta,
        outcome: 'initiated',
      };
      events.push(event);
      return {
        success: async () => {
          event.outcome = 'succeeded';
        },
        fail: async ({ error }: { error: Error }) => {
          event.outcome = 'failed';
          event.error = error.message;
        },
      };
    }),
  });
  return { auditor, events };
}
