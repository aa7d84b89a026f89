import { ANNOTATION_SOURCE_LOCATION, Entity } from '@backstage/catalog-model';
import { isError } from '@backstage/errors';
import { GitHubRepoService } from '@paved/plugin-github-node';
import { GITHUB_PROJECT_SLUG, projectSlugOf } from './deployTarget';

/** A CI run as `GET /api/deploy/runs` lists it. */
export interface WorkflowRunView {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  headSha: string;
  htmlUrl: string;
  createdAt: string;
}

/**
 * Why GitHub's runs cannot be shown that is the repository's or the
 * integration's, not the caller's: no credentials for the owner, an owner
 * Paved may not use, a repository that is gone.
 */
const UNREADABLE = new Set(['NotAllowedError', 'NotFoundError', 'InputError']);

/** The local forge serves repositories under the backend plugin `forge`. */
const FORGE_SOURCE = /\/api\/forge\//;

/** A component's CI runs: its repository's GitHub Actions runs, or why there are none. */
export class WorkflowRunsReader {
  readonly #github: GitHubRepoService;

  constructor(options: { github: GitHubRepoService }) {
    this.#github = options.github;
  }

  async runsOf(
    entity: Entity,
  ): Promise<{ runs: WorkflowRunView[]; reason?: string }> {
    const slug = projectSlugOf(entity);
    if (!slug) {
      const source =
        entity.metadata.annotations?.[ANNOTATION_SOURCE_LOCATION] ?? '';
      return {
        runs: [],
        reason: FORGE_SOURCE.test(source)
          ? 'The repository is on the local forge, which runs no CI: there are no GitHub Actions runs to show'
          : `The component has no ${GITHUB_PROJECT_SLUG} annotation, so Paved does not know its GitHub repository`,
      };
    }
    const [owner, name] = slug.split('/');
    let runs;
    try {
      runs = await this.#github.listWorkflowRuns({ owner, name });
    } catch (error) {
      if (!isError(error) || !UNREADABLE.has(error.name)) throw error;
      return {
        runs: [],
        reason: `The GitHub Actions runs of ${slug} cannot be read: ${error.message}`,
      };
    }
    return {
      runs: runs.map(run => ({
        id: run.id,
        name: run.name,
        status: run.status ?? 'unknown',
        conclusion: run.conclusion,
        headSha: run.headSha,
        htmlUrl: run.htmlUrl,
        createdAt: run.createdAt,
      })),
    };
  }
}
