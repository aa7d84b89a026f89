import { InputError } from '@backstage/errors';

const REF = /^(?:(group|user):)?(?:([^:/]+)\/)?([^:/]+)$/i;

/**
 * The CODEOWNERS handle of a catalogue owner: a group (`group:default/storefront`,
 * or a bare name) is the organisation's team of that slug (`@kestrel/storefront`),
 * as GitHub discovery names groups after teams; a user is the GitHub login.
 *
 * @public
 */
export function codeOwnerFor(owner: string, org: string): string {
  const m = REF.exec(owner?.trim() ?? '');
  if (!m) {
    throw new InputError(
      `owner: "${owner}" is not a catalogue owner; expected an entity ref such as group:default/storefront or user:default/jdoe`,
    );
  }
  const [, kind, , name] = m;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new InputError(
      `owner: "${name}" cannot be a GitHub team or user name`,
    );
  }
  return (kind ?? 'group').toLowerCase() === 'user'
    ? `@${name}`
    : `@${org}/${name}`;
}

/**
 * A CODEOWNERS file making the owners own every path.
 *
 * @public
 */
export function codeOwnersContent(owners: string[], source?: string): string {
  if (owners.length === 0) {
    throw new InputError('owners: at least one code owner is needed');
  }
  return [
    `# Code owners${
      source ? ` of ${source}` : ''
    }, from the catalogue owner (written by Paved).`,
    `* ${owners.join(' ')}`,
    '',
  ].join('\n');
}
