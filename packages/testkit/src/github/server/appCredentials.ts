/** GitHub Apps a test registers, and the app-config that points at the server. */
import crypto from 'node:crypto';
import { GitHubTestDriver } from '../GitHubTestDriver';
import {
  GitHubTestAppCredentials,
  GitHubTestServer,
} from '../GitHubTestServer';

/**
 * Registers an app with a fresh RSA key pair, installed on `account` (the
 * first organisation by default), and returns what app-config needs.
 */
export function registerApp(
  driver: GitHubTestDriver,
  appId: number,
  options: Parameters<GitHubTestServer['createApp']>[0] = {},
): GitHubTestAppCredentials {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const installationId = driver.newId();
  const account =
    options.account ?? [...driver.orgs.values()][0]?.login ?? 'kestrel';
  driver.addApp({
    appId,
    publicKey,
    slug: `paved-test-${appId}`,
    installations: [
      {
        id: installationId,
        account,
        permissions: options.permissions,
        repositorySelection: options.repositorySelection,
        repositories: options.repositories,
      },
    ],
  });
  return {
    appId,
    installationId,
    privateKey,
    config: {
      appId,
      clientId: `Iv1.${appId}`,
      clientSecret: `secret-${appId}`,
      privateKey,
      webhookSecret: `webhook-${appId}`,
    },
  };
}

/** One `integrations.github` entry for the server. */
export function integrationEntry(
  server: Pick<GitHubTestServer, 'url' | 'apiBaseUrl' | 'host' | 'token'>,
  options: Parameters<GitHubTestServer['integrationConfig']>[0] = {},
): Record<string, unknown> {
  const chosen =
    options.token === null ? undefined : options.token ?? server.token;
  return {
    host: options.host ?? server.host,
    apiBaseUrl: server.apiBaseUrl,
    rawBaseUrl: `${server.url}/raw`,
    ...(chosen && !options.apps ? { token: chosen } : {}),
    ...(options.apps ? { apps: options.apps.map(a => a.config) } : {}),
  };
}
