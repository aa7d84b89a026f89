/**
 * Rate limits: the primary budget of each identity, with its headers and
 * `/rate_limit`, and GitHub's secondary limits on content-creating requests.
 */
import { GitHubTestDriver } from '../GitHubTestDriver';
import { Identity } from '../rest';
import { RateLimitState } from '../state';

/** An identity's primary budget, refilled when its hour is over. */
export function budgetOf(
  driver: GitHubTestDriver,
  identity: Identity,
): RateLimitState {
  const nowSeconds = Math.floor(Date.now() / 1000);
  let state = driver.rateLimits.get(identity.key);
  if (!state || state.reset <= nowSeconds) {
    state = {
      limit: state?.limit ?? driver.defaultRateLimit,
      remaining: state?.limit ?? driver.defaultRateLimit,
      reset: nowSeconds + 3600,
    };
    driver.rateLimits.set(identity.key, state);
  }
  return state;
}

/** The `x-ratelimit-*` headers of an answer to an identity. */
export function rateHeaders(
  driver: GitHubTestDriver,
  identity: Identity | undefined,
): Record<string, string> {
  if (!identity) return {};
  const state = budgetOf(driver, identity);
  return {
    'x-ratelimit-limit': String(state.limit),
    'x-ratelimit-remaining': String(Math.max(state.remaining, 0)),
    'x-ratelimit-used': String(state.limit - Math.max(state.remaining, 0)),
    'x-ratelimit-reset': String(state.reset),
    'x-ratelimit-resource': 'core',
  };
}

/** The body of `GET /rate_limit`; an anonymous caller has 60 an hour. */
export function rateLimitBody(
  driver: GitHubTestDriver,
  identity: Identity | undefined,
) {
  const core = identity
    ? budgetOf(driver, identity)
    : {
        limit: 60,
        remaining: 60,
        reset: Math.floor(Date.now() / 1000) + 3600,
      };
  const resource = {
    limit: core.limit,
    remaining: core.remaining,
    reset: core.reset,
    used: core.limit - core.remaining,
    resource: 'core',
  };
  return { resources: { core: resource }, rate: resource };
}

/**
 * Counts a content-creating request against the secondary limits; the
 * seconds to wait when it is over them, and then it is not counted.
 */
export function contentLimitRetryAfter(
  driver: GitHubTestDriver,
  identity: Identity,
): number | undefined {
  const limits = driver.contentLimits;
  if (!limits) return undefined;
  const nowMs = Date.now();
  const minuteMs = 60_000 * (limits.timeScale ?? 1);
  const hourMs = 3600_000 * (limits.timeScale ?? 1);
  const times = (driver.writeTimes.get(identity.key) ?? []).filter(
    t => t > nowMs - hourMs,
  );
  driver.writeTimes.set(identity.key, times);
  const lastMinute = times.filter(t => t > nowMs - minuteMs);
  if (lastMinute.length >= limits.perMinute) {
    return Math.ceil((lastMinute[0] + minuteMs - nowMs) / 1000);
  }
  if (times.length >= limits.perHour) {
    return Math.ceil((times[0] + hourMs - nowMs) / 1000);
  }
  times.push(nowMs);
  return undefined;
}
