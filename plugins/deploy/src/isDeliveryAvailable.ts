import { ANNOTATION_SOURCE_LOCATION, Entity } from '@backstage/catalog-model';

/** GitHub's repository of the component (owner/name). */
export const GITHUB_PROJECT_SLUG_ANNOTATION = 'github.com/project-slug';

/** The local forge serves repositories under the backend plugin `forge`. */
const FORGE_SOURCE = /^url:https?:\/\/[^/]+(\/.*)?\/api\/forge\/[^/]+\/[^/]+\//;

/**
 * Whether the entity has a Delivery tab: a Component whose repository is
 * on GitHub (`github.com/project-slug`) or on the local forge (its source
 * location, which the forge's catalogue module sets, is a forge URL).
 *
 * @public
 */
export function isDeliveryAvailable(entity: Entity): boolean {
  if (entity.kind.toLowerCase() !== 'component') return false;
  const annotations = entity.metadata.annotations ?? {};
  if (annotations[GITHUB_PROJECT_SLUG_ANNOTATION]) return true;
  return FORGE_SOURCE.test(annotations[ANNOTATION_SOURCE_LOCATION] ?? '');
}
