import { RepositoryTarget } from '@paved/plugin-publish-node';

/** The structured fields of a step's log lines about a repository. */
export function repositoryFields(target: RepositoryTarget) {
  return { repository: target.full, host: target.host };
}
