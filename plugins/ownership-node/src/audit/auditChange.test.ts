import { mockServices } from '@backstage/backend-test-utils';
import { auditChange } from './auditChange';

describe('auditChange', () => {
  it('reports a change that succeeded with who, what, target and task', async () => {
    const success = jest.fn();
    const fail = jest.fn();
    const auditor = mockServices.auditor.mock({
      createEvent: jest.fn(async () => ({ success, fail })),
    });
    await expect(
      auditChange(
        auditor,
        {
          eventId: 'namespace-delete',
          actor: 'user:default/lena-fischer',
          target: 'namespace storefront-cart-dev',
          taskId: 't1',
          severityLevel: 'high',
        },
        async () => 'done',
      ),
    ).resolves.toBe('done');
    expect(auditor.createEvent).toHaveBeenCalledWith({
      eventId: 'namespace-delete',
      severityLevel: 'high',
      meta: {
        actor: 'user:default/lena-fischer',
        target: 'namespace storefront-cart-dev',
        taskId: 't1',
      },
    });
    expect(success).toHaveBeenCalledTimes(1);
    expect(fail).not.toHaveBeenCalled();
  });

  it('reports a refusal as a failure and rethrows it', async () => {
    const success = jest.fn();
    const fail = jest.fn();
    const auditor = mockServices.auditor.mock({
      createEvent: jest.fn(async () => ({ success, fail })),
    });
    const refusal = new Error('not yours');
    await expect(
      auditChange(
        auditor,
        { eventId: 'repository-delete', actor: undefined, target: 'r' },
        async () => {
          throw refusal;
        },
      ),
    ).rejects.toBe(refusal);
    expect(fail).toHaveBeenCalledWith({ error: refusal });
    expect(success).not.toHaveBeenCalled();
  });
});
