import { namespaceNameFor, ownerGroupName, workloadSelector } from './labels';

describe('labels', () => {
  it('names the namespace <component>-<environment>', () => {
    expect(namespaceNameFor('payments', 'dev')).toBe('payments-dev');
  });

  it.each([
    ['Payments', 'dev', /^component: "Payments" is not a DNS-1123 label/],
    ['payments', 'prod_eu', /^environment: "prod_eu" is not a DNS-1123 label/],
    ['', 'dev', /^component: expected a DNS-1123 label/],
    [
      'a'.repeat(60),
      'prod',
      /namespace "a{60}-prod" would be 65 characters long/,
    ],
  ])(
    'rejects component %j and environment %j naming the field',
    (component, environment, message) => {
      expect(() => namespaceNameFor(component, environment)).toThrow(message);
      expect(() => namespaceNameFor(component, environment)).toThrow(
        expect.objectContaining({ name: 'InputError' }),
      );
    },
  );

  it('takes the owning group name from an entity ref', () => {
    expect(ownerGroupName('group:default/team-payments')).toBe('team-payments');
    expect(ownerGroupName('team-payments')).toBe('team-payments');
    expect(() => ownerGroupName('group:default/not a group')).toThrow(
      /^owner: expected a group entity ref/,
    );
  });

  it('selects workloads the way the Backstage kubernetes plugin does', () => {
    expect(workloadSelector('payments')).toBe(
      'backstage.io/kubernetes-id=payments',
    );
  });
});
