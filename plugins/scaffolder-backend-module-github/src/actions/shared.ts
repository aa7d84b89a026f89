import {
  AuditorService,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import {
  GitHubRepoService,
  assertRepositoryName,
  hasGitHubCredentials,
} from '@paved/plugin-github-node';
import { OwnershipService } from '@paved/plugin-ownership-node';
import {
  RepositoryTarget,
  localForgeFallbackAllowed,
  noCredentialsError,
  repositoryTargetOf,
} from '@paved/plugin-publish-node';
import { Zod } from './Zod';

/** What every paved:github:* action is built from. */
export interface GitHubActionDeps {
  service: GitHubRepoService;
  config: RootConfigService;
  /** Who may change a repository: its recorded owner's members and admins. */
  ownership: OwnershipService;
  /** Where each change (and each refusal) is reported. */
  auditor: AuditorService;
}

/** The `repoUrl` input of the paved:github:* steps. */
export const repoUrlInput = (z: Zod) =>
  z
    .string()
    .describe(
      'The repository, as RepoUrlPicker gives it: github.com?owner=kestrel&repo=shop.',
    );

/** The `skipped` output of the paved:github:* steps. */
export const skippedOutput = (z: Zod) =>
  z
    .boolean()
    .describe(
      'True when the repository lives on the local forge and nothing was done.',
    );

/** A paved:github:* step's `repoUrl`, its name checked as GitHub's. */
export function gitHubRepoTargetOf(repoUrl: string): RepositoryTarget {
  const target = repositoryTargetOf(repoUrl);
  assertRepositoryName(target.name, 'repoUrl');
  return target;
}

/**
 * True (after logging the one line the forge contract asks for) when the
 * repository lives on the local forge, i.e. no GitHub credentials are
 * configured for its host. Where the local forge may not stand in
 * (production), a host without credentials is an error naming it.
 */
export function livesOnLocalForge(
  config: RootConfigService,
  target: RepositoryTarget,
  logger: LoggerService,
  what: string,
): boolean {
  if (hasGitHubCredentials(config, target.host)) return false;
  if (!localForgeFallbackAllowed(config)) throw noCredentialsError(target.host);
  logger.info(`${target.full} lives on the local forge: ${what} skipped`);
  return true;
}

/**
 * The start every paved:github:* step shares. True, with `skipped` and the
 * step's empty outputs (`none`) set, when the step is done without calling
 * GitHub: the repository lives on the local forge (`skipping` names what is
 * skipped), this is a dry run (each `dryRun` line is logged), or there is
 * `nothingToDo`.
 */
export function doneWithoutGitHub(
  ctx: Pick<ActionContext<any, any>, 'logger' | 'isDryRun' | 'output'>,
  options: {
    config: RootConfigService;
    target: RepositoryTarget;
    skipping: string;
    dryRun: string | string[];
    none: () => void;
    nothingToDo?: boolean;
  },
): boolean {
  const { config, target } = options;
  if (livesOnLocalForge(config, target, ctx.logger, options.skipping)) {
    ctx.output('skipped', true);
    options.none();
    return true;
  }
  if (!ctx.isDryRun && !options.nothingToDo) return false;
  if (ctx.isDryRun) {
    [options.dryRun].flat().forEach(line => ctx.logger.info(line));
  }
  ctx.output('skipped', false);
  options.none();
  return true;
}

/**
 * The GitHub team slug of a catalogue owner: `group:default/storefront`
 * (or `storefront`) is the team `storefront`, as GitHub discovery names
 * groups after teams.
 */
export function teamSlugOf(owner: string, field = 'owner'): string {
  const m = /^(?:(group|user):)?(?:[^:/]+\/)?([^:/]+)$/i.exec(
    owner?.trim() ?? '',
  );
  if (!m || (m[1] ?? 'group').toLowerCase() !== 'group') {
    throw new InputError(
      `${field}: "${owner}" is not a group; a team role can only be granted to a group entity such as group:default/storefront`,
    );
  }
  return m[2];
}
