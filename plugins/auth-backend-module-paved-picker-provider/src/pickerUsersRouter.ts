import { AuthService } from '@backstage/backend-plugin-api';
import {
  RELATION_MEMBER_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import Router from 'express-promise-router';

/** One user the picker offers. */
export type PickerUser = {
  userEntityRef: string;
  displayName: string;
  /** The groups the user is a member of (directly), as entity refs. */
  groups: string[];
};

/** Options of {@link pickerUsersRouter}. */
export type PickerUsersRouterOptions = {
  catalog: CatalogService;
  auth: AuthService;
  /** Only users of this namespace (auth.providers.picker.namespace). */
  namespace?: string;
};

/**
 * `GET /picker/users`: the users the picker offers, read from the catalogue
 * with the auth plugin's own credentials, since the person is not signed in
 * yet. Only mounted when the picker is on (never in production).
 */
export function pickerUsersRouter(
  options: PickerUsersRouterOptions,
): express.Router {
  const router = Router();
  router.get('/picker/users', async (_req, res) => {
    const credentials = await options.auth.getOwnServiceCredentials();
    const { items } = await options.catalog.getEntities(
      {
        filter: {
          kind: 'User',
          ...(options.namespace && { 'metadata.namespace': options.namespace }),
        },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'spec.profile.displayName',
          'relations',
        ],
      },
      { credentials },
    );
    const users: PickerUser[] = items.map(entity => ({
      userEntityRef: stringifyEntityRef(entity),
      displayName:
        (entity.spec?.profile as { displayName?: string } | undefined)
          ?.displayName ?? entity.metadata.name,
      groups: (entity.relations ?? [])
        .filter(relation => relation.type === RELATION_MEMBER_OF)
        .map(relation => relation.targetRef)
        .sort(),
    }));
    users.sort((a, b) => a.userEntityRef.localeCompare(b.userEntityRef));
    res.json({ items: users });
  });
  return router;
}
