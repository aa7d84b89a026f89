import {
  ANNOTATION_SOURCE_LOCATION,
  Entity,
  stringifyLocationRef,
} from '@backstage/catalog-model';
import { CatalogProcessor, LocationSpec } from '@backstage/plugin-catalog-node';
import { ForgeUrlParts, ForgeUrls } from '@paved/plugin-forge-node';

/** GitHub's plugins look the repository up on GitHub by this annotation. */
const GITHUB_PROJECT_SLUG = 'github.com/project-slug';

/**
 * Gives entities read from a forge file URL their source location: the
 * file's folder as a forge tree URL (upstream's
 * AnnotateLocationEntityProcessor only does so for SCM integrations). An
 * annotation the entity sets itself is kept.
 *
 * It also drops a `github.com/project-slug` annotation that names the forge
 * repository itself: the golden-path templates write one for wherever the
 * repository lives, and on the forge it would send GitHub's plugins to a
 * repository that does not exist on GitHub (or to someone else's). For the
 * same reason a link to that repository's GitHub Pages site
 * (`https://<owner>.github.io/<repo>/`, as the static-website template
 * writes) is dropped: the forge serves no Pages.
 *
 * @public
 */
export class ForgeSourceLocationProcessor implements CatalogProcessor {
  readonly #urls: ForgeUrls;

  constructor(options: { urls: ForgeUrls }) {
    this.#urls = options.urls;
  }

  getProcessorName(): string {
    return 'ForgeSourceLocationProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
  ): Promise<Entity> {
    if (location.type !== 'url') return entity;
    const parts = this.#urls.parse(location.target);
    if (!parts) return entity;
    return this.withSourceLocation(
      this.withoutGitHubPagesLink(this.withoutGitHubSlug(entity, parts), parts),
      parts,
    );
  }

  private withoutGitHubPagesLink(entity: Entity, repo: ForgeUrlParts): Entity {
    const links = entity.metadata.links;
    if (!Array.isArray(links)) return entity;
    const pages = `https://${repo.owner}.github.io/${repo.name}`.toLowerCase();
    const kept = links.filter(
      link =>
        typeof link?.url !== 'string' ||
        link.url.toLowerCase().replace(/\/+$/, '') !== pages,
    );
    if (kept.length === links.length) return entity;
    return { ...entity, metadata: { ...entity.metadata, links: kept } };
  }

  private withoutGitHubSlug(entity: Entity, repo: ForgeUrlParts): Entity {
    const slug = entity.metadata.annotations?.[GITHUB_PROJECT_SLUG];
    if (
      typeof slug !== 'string' ||
      slug.trim().toLowerCase() !== `${repo.owner}/${repo.name}`.toLowerCase()
    ) {
      return entity;
    }
    const { [GITHUB_PROJECT_SLUG]: _dropped, ...annotations } =
      entity.metadata.annotations!;
    return { ...entity, metadata: { ...entity.metadata, annotations } };
  }

  private withSourceLocation(entity: Entity, parts: ForgeUrlParts): Entity {
    if (entity.metadata.annotations?.[ANNOTATION_SOURCE_LOCATION]) {
      return entity;
    }
    if (parts.view !== 'blob' && parts.view !== 'raw') {
      return entity;
    }
    // The last segment is the file; the ones before it are the ref and folder.
    const segments = parts.refAndPath.split('/');
    if (segments.length < 2) return entity;
    const folder = this.#urls.view(
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
