import { Entity } from '@backstage/catalog-model';

/** A group of the test organisation, with the relations the catalogue would compute. */
function group(
  name: string,
  options: { parent?: string; children?: string[]; members?: string[] } = {},
): Entity {
  const { parent, children = [], members = [] } = options;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children, ...(parent && { parent }) },
    relations: [
      ...(parent
        ? [{ type: 'childOf', targetRef: `group:default/${parent}` }]
        : []),
      ...children.map(c => ({
        type: 'parentOf',
        targetRef: `group:default/${c}`,
      })),
      ...members.map(m => ({
        type: 'hasMember',
        targetRef: `user:default/${m}`,
      })),
    ],
  };
}

function user(name: string, memberOf: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { memberOf },
    relations: memberOf.map(g => ({
      type: 'memberOf',
      targetRef: `group:default/${g}`,
    })),
  };
}

/**
 * The people of the sample organisation that ownership tests use: team A
 * is `storefront` (lena-fischer, marcus-okafor), team B is `fulfilment`
 * (jonas-weber), both under `engineering`; `platform` (ana-silva) is the
 * admin group.
 */
export const TEST_USERS = {
  teamA: 'user:default/lena-fischer',
  teamAMate: 'user:default/marcus-okafor',
  teamB: 'user:default/jonas-weber',
  admin: 'user:default/ana-silva',
} as const;

/** The groups of {@link TEST_USERS}. */
export const TEST_GROUPS = {
  teamA: 'group:default/storefront',
  teamB: 'group:default/fulfilment',
  admin: 'group:default/platform',
  parent: 'group:default/engineering',
} as const;

/** The entities of the test organisation, relations included. */
export function testOrganisation(): Entity[] {
  return [
    group('engineering', {
      children: ['platform', 'storefront', 'fulfilment'],
    }),
    group('platform', { parent: 'engineering', members: ['ana-silva'] }),
    group('storefront', {
      parent: 'engineering',
      members: ['lena-fischer', 'marcus-okafor'],
    }),
    group('fulfilment', { parent: 'engineering', members: ['jonas-weber'] }),
    user('ana-silva', ['platform']),
    user('lena-fischer', ['storefront']),
    user('marcus-okafor', ['storefront']),
    user('jonas-weber', ['fulfilment']),
  ];
}
