import { parseEvent } from './WorkspaceResourceProvider';

describe('parseEvent', () => {
  const resource = {
    workspace: 'orders-db',
    module: 'postgres-database',
    name: 'orders',
    type: 'database',
    ownerRef: 'group:default/fulfilment',
    componentRef: 'component:default/orders-api',
  };

  it('accepts register and unregister events', () => {
    expect(parseEvent({ action: 'register', resource })).toEqual({
      action: 'register',
      resource,
    });
    expect(
      parseEvent({ action: 'unregister', workspace: 'orders-db' }),
    ).toEqual({ action: 'unregister', workspace: 'orders-db' });
  });

  it.each([
    [{ action: 'remove' }, /^action: expected "register" or "unregister"/],
    [{ action: 'unregister', workspace: '../x' }, /^workspace: /],
    [
      {
        action: 'register',
        resource: { ...resource, ownerRef: 'user:default/ana' },
      },
      /^resource.ownerRef: /,
    ],
    [
      { action: 'register', resource: { ...resource, componentRef: 'x' } },
      /^resource.componentRef: /,
    ],
  ])('refuses %j naming the field', (event, message) => {
    expect(() => parseEvent(event)).toThrow(message);
  });
});
