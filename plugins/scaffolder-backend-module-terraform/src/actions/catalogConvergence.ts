import { Entity } from '@backstage/catalog-model';
import { ServiceUnavailableError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { TaskCaller } from './terraformActionOptions';

/** How long a step waits for the catalogue to show what it published. */
export const CATALOG_WAIT_MS = 60_000;

/**
 * Waits until the catalogue shows the entity as `done` says (there, or
 * gone); a timeout says so, and a retried task publishes again.
 */
export async function untilCatalogShows(
  catalog: CatalogService,
  caller: TaskCaller,
  request: {
    entityRef: string;
    what: string;
    done: (entity: Entity | undefined) => boolean;
    timeoutMs?: number;
  },
): Promise<Entity | undefined> {
  const deadline = Date.now() + (request.timeoutMs ?? CATALOG_WAIT_MS);
  for (;;) {
    const entity = await catalog.getEntityByRef(request.entityRef, {
      credentials: caller.credentials,
    });
    if (request.done(entity)) return entity;
    if (Date.now() > deadline) {
      throw new ServiceUnavailableError(
        `the catalogue did not show ${request.what} within ${Math.round(
          (request.timeoutMs ?? CATALOG_WAIT_MS) / 1000,
        )}s; run the task again (the step publishes again and converges)`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}
