import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';

/** GitHub's plugins (and Paved's templates) name a component's repository with this annotation. */
export const GITHUB_PROJECT_SLUG = 'github.com/project-slug';

/**
 * The external access `subjectPrefix` of GitHub Actions OIDC tokens
 * (`backend.auth.externalAccess`), so their principal subject is
 * `external:github-actions:<sub>`.
 */
export const GITHUB_ACTIONS_SUBJECT_PREFIX = 'external:github-actions:';

/** Whether the caller is a GitHub Actions workflow, by its OIDC token's subject. */
export function isGitHubActions(credentials: BackstageCredentials): boolean {
  const principal = credentials.principal as { type: string; subject?: string };
  return (
    principal.type === 'service' &&
    (principal.subject ?? '').startsWith(GITHUB_ACTIONS_SUBJECT_PREFIX)
  );
}

/** What a deploy acts on: the component's environment and its namespace. */
export interface DeployTarget {
  /** The component, once read from the catalogue. */
  entity?: Entity;
  entityRef: string;
  component: string;
  environment: string;
  namespace: string;
}

/** GitHub's owner and repository names: no `:` or `/` that could stretch the OIDC subject the slug is matched against. */
const SLUG = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\/[A-Za-z0-9_.-]+$/;

/** The component's repository on GitHub (`owner/name`), from its annotation; undefined when it names none in GitHub's form. */
export function projectSlugOf(entity: Entity): string | undefined {
  const slug = entity.metadata.annotations?.[GITHUB_PROJECT_SLUG]?.trim();
  return slug && SLUG.test(slug) ? slug : undefined;
}
