import {
  ANNOTATION_SOURCE_LOCATION,
  Entity,
  stringifyLocationRef,
} from '@backstage/catalog-model';
import { CatalogProcessor, LocationSpec } from '@backstage/plugin-catalog-node';
import { ForgeUrls } from '@paved/plugin-forge-node';

/**
 * Gives entities read from a forge file URL their source location: the
 * file's folder as a forge tree URL (upstream's
 * AnnotateLocationEntityProcessor only does so for SCM integrations). An
 * annotation the entity sets itself is kept.
 *
 * @public
 */
export class ForgeSourceLocationProcessor implements CatalogProcessor {
  constructor(private readonly urls: ForgeUrls) {}

  getProcessorName(): string {
    return 'ForgeSourceLocationProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
  ): Promise<Entity> {
    if (location.type !== 'url') return entity;
    if (entity.metadata.annotations?.[ANNOTATION_SOURCE_LOCATION]) {
      return entity;
    }
    const parts = this.urls.parse(location.target);
    if (!parts || (parts.view !== 'blob' && parts.view !== 'raw')) {
      return entity;
    }
    // The last segment is the file; the ones before it are the ref and folder.
    const segments = parts.refAndPath.split('/');
    if (segments.length < 2) return entity;
    const folder = this.urls.view(
      parts,
      'tree',
      segments.slice(0, -1).join('/'),
    );
    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: {
          ...entity.metadata.annotations,
          [ANNOTATION_SOURCE_LOCATION]: stringifyLocationRef({
            type: 'url',
            target: `${folder}/`,
          }),
        },
      },
    };
  }
}
