import { NotAllowedError } from '@backstage/errors';
import { assertOwnerName } from '../names';

/**
 * Refuses an owner that is not a GitHub owner name or that
 * `paved.github.allowedOwners` (lowercase; undefined allows any) leaves out.
 */
export function assertOwnerAllowed(owner: string, allowed?: string[]) {
  assertOwnerName(owner);
  if (allowed?.length === 0) {
    throw new NotAllowedError(
      `owner: Paved may not create or change repositories in "${owner}": paved.github.allowedOwners lists no owner (in production it is GITHUB_ORG, which is not set)`,
    );
  }
  if (allowed && !allowed.includes(owner.toLowerCase())) {
    throw new NotAllowedError(
      `owner: "${owner}" is not a GitHub owner Paved may create or change repositories in; paved.github.allowedOwners allows ${allowed
        .map(o => `"${o}"`)
        .join(', ')}`,
    );
  }
}
