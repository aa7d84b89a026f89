import { RepoTarget } from './shared';

/** The structured fields of a step's log lines about a repository. */
export function repositoryFields(target: RepoTarget) {
  return { repository: target.full, host: target.host };
}
