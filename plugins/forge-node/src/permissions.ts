import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Deleting a repository from the local forge (`DELETE
 * /api/forge/-/repos/:owner/:name`), which also unregisters the catalogue
 * locations that read from it.
 *
 * @public
 */
export const forgeRepositoryDeletePermission = createPermission({
  name: 'forge.repository.delete',
  attributes: { action: 'delete' },
});

/**
 * Every permission of the local forge.
 *
 * @public
 */
export const forgePermissions = [forgeRepositoryDeletePermission];
