import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/**
 * The full entity ref of a group named by ref or bare name, lower-cased as
 * the catalogue compares refs: `Platform` is `group:default/platform`.
 */
export function groupRefOf(ref: string): string {
  return stringifyEntityRef(
    parseEntityRef(ref.trim(), {
      defaultKind: 'group',
      defaultNamespace: 'default',
    }),
  ).toLocaleLowerCase('en-US');
}
