import { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import {
  GitHubTestServer,
  GitHubTestToken,
  startGitHubTestServer,
} from '@paved/testkit';
import { DefaultGitHubRepoService } from '../DefaultGitHubRepoService';

/** A logger that keeps every line (message and fields) for assertions. */
export function capturingLogger(lines: string[] = []): LoggerService & {
  lines: string[];
} {
  const make = (fields: Record<string, unknown>): any => {
    const log = (level: string) => (message: string, meta?: unknown) =>
      lines.push(
        `${level} ${message} ${JSON.stringify({
          ...fields,
          ...(meta as any),
        })}`,
      );
    return {
      lines,
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      child: (more: Record<string, unknown>) => make({ ...fields, ...more }),
    };
  };
  return make({});
}

/** A running test server and a service on it, fast retries and no write pacing. */
export async function startServiceOnTestServer(
  options: {
    server?: GitHubTestServer;
    paved?: Record<string, unknown>;
    token?: string | null;
    apps?: Parameters<GitHubTestServer['appConfig']>[0] extends infer O
      ? O extends { apps?: infer A }
        ? A
        : never
      : never;
    maxRateLimitWaitMs?: number;
  } = {},
) {
  const server = options.server ?? (await startGitHubTestServer());
  const logger = capturingLogger();
  const config = new ConfigReader(
    server.appConfig({
      token: options.token,
      apps: options.apps,
      paved: options.paved,
    }),
  );
  const service = DefaultGitHubRepoService.create({
    config,
    logger,
    settings: {
      writeIntervalMs: 0,
      ...(options.maxRateLimitWaitMs !== undefined
        ? { maxRateLimitWaitMs: options.maxRateLimitWaitMs }
        : {}),
    },
    retryBaseMs: 5,
    freshRepoRetryDelaysMs: [5, 10, 20, 40, 80],
  });
  return { server, service, logger, config };
}

/** Another service on the same server, with a token of its own (and its scopes). */
export async function serviceWithToken(
  server: GitHubTestServer,
  token: GitHubTestToken,
): Promise<DefaultGitHubRepoService> {
  server.driver.addToken(token);
  const { service } = await startServiceOnTestServer({
    server,
    token: token.token,
  });
  return service;
}
