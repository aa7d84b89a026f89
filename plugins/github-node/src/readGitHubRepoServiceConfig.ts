import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import { DEFAULT_INITIAL_COMMIT_MESSAGE } from '@paved/plugin-publish-node';
import { GITHUB_WRITE_LIMITS, WriteLimit } from './budget/nextWriteSlot';
import { assertOwnerName } from './names';

/**
 * The settings of the GitHub driver, from `paved.github` (and the
 * scaffolder's default commit author).
 *
 * @public
 */
export interface GitHubRepoServiceSettings {
  /** Lowercase owners Paved may work in; undefined allows any, empty none. */
  allowedOwners?: string[];
  /** Remove the creator's admin rights after granting the team its role. */
  removeCreatorAdmin: boolean;
  /** Longest wait for a rate limit, in milliseconds. */
  maxRateLimitWaitMs: number;
  /** Least time between two content-creating requests of one credential, in milliseconds. */
  writeIntervalMs: number;
  /** GitHub's secondary limits on content-creating requests, per credential. */
  writeLimits: WriteLimit[];
  /** Longest wait for a turn in the write budget, in milliseconds. */
  writeBudgetMaxWaitMs: number;
  /** Author (and committer) of the commits Paved makes. */
  author: { name: string; email: string };
  /** The message of the first commit when the caller gives none. */
  initialCommitMessage: string;
}

const KEY = 'paved.github';

function durationMs(
  config: Config | undefined,
  key: string,
  fallbackMs: number,
  allowZero = false,
): number {
  if (!config?.has(key)) return fallbackMs;
  const ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  if (!(ms > 0 || (allowZero && ms === 0))) {
    throw new InputError(
      `${KEY}.${key}: expected a ${
        allowZero ? 'non-negative' : 'positive'
      } duration`,
    );
  }
  return ms;
}

/**
 * The allowlist, lowercase. Read loosely: the production config lists
 * `${GITHUB_ORG:-}`, which an unset variable turns into an empty string
 * (refused by the config reader's string arrays). Empty entries are left
 * out; a list left with none allows no owner.
 */
function readAllowedOwners(config: Config | undefined): string[] | undefined {
  const raw = config?.getOptional('allowedOwners');
  if (raw === undefined) return undefined;
  const key = `${KEY}.allowedOwners`;
  if (!Array.isArray(raw)) {
    throw new InputError(`${key}: expected a list of GitHub owners`);
  }
  return raw.flatMap((owner, i) => {
    if (typeof owner !== 'string') {
      throw new InputError(
        `${key}[${i}]: expected a GitHub owner, got ${typeof owner}`,
      );
    }
    if (owner.trim() === '') return [];
    assertOwnerName(owner.trim(), `${key}[${i}]`);
    return [owner.trim().toLowerCase()];
  });
}

/** `writeBudget.limits`, GitHub's documented ones when not set. */
function readWriteLimits(config: Config | undefined): WriteLimit[] {
  const entries = config?.getOptionalConfigArray('writeBudget.limits');
  if (!entries) return GITHUB_WRITE_LIMITS;
  if (entries.length === 0) {
    throw new InputError(
      `${KEY}.writeBudget.limits: expected at least one limit, e.g. { writes: 80, per: { minutes: 1 } }`,
    );
  }
  return entries.map((entry, i) => {
    const writes = entry.getNumber('writes');
    if (!Number.isInteger(writes) || writes < 1) {
      throw new InputError(
        `${KEY}.writeBudget.limits[${i}].writes: expected a whole number of writes, at least 1`,
      );
    }
    const perMs = entry.has('per')
      ? durationToMilliseconds(readDurationFromConfig(entry, { key: 'per' }))
      : 0;
    if (!(perMs > 0)) {
      throw new InputError(
        `${KEY}.writeBudget.limits[${i}].per: expected a positive duration, e.g. { minutes: 1 }`,
      );
    }
    return { writes, perMs };
  });
}

/**
 * Reads {@link GitHubRepoServiceSettings} from app-config.
 *
 * @public
 */
export function readGitHubRepoServiceConfig(
  root: Config,
): GitHubRepoServiceSettings {
  const config = root.getOptionalConfig(KEY);
  const writeLimits = readWriteLimits(config);
  return {
    allowedOwners: readAllowedOwners(config),
    removeCreatorAdmin:
      config?.getOptionalBoolean('removeCreatorAdmin') ?? false,
    maxRateLimitWaitMs: durationMs(config, 'maxRateLimitWait', 60_000),
    // Even spacing at the tightest limit's rate, unless set.
    writeIntervalMs: durationMs(
      config,
      'writeInterval',
      Math.min(...writeLimits.map(l => Math.ceil(l.perMs / l.writes))),
      true,
    ),
    writeLimits,
    writeBudgetMaxWaitMs: durationMs(
      config,
      'writeBudget.maxWait',
      15 * 60_000,
    ),
    author: {
      name: root.getOptionalString('scaffolder.defaultAuthor.name') ?? 'Paved',
      email:
        root.getOptionalString('scaffolder.defaultAuthor.email') ??
        'paved@users.noreply.github.com',
    },
    initialCommitMessage:
      root.getOptionalString('scaffolder.defaultCommitMessage') ??
      DEFAULT_INITIAL_COMMIT_MESSAGE,
  };
}
