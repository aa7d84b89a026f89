/** The public face of the GitHub test server: its options, requests and handle. */
import { GitHubTestDriver } from './GitHubTestDriver';
import { GitHubTestApp, GitHubTestOrg } from './driverTypes';

/**
 * One request the test server received.
 *
 * @public
 */
export interface GitHubTestRequest {
  /** `rest` for the REST API, `git` for smart HTTP. */
  kind: 'rest' | 'git';
  method: string;
  /** The path without `/api/v3` and without the query string. */
  path: string;
  /** The route template, e.g. `PUT /repos/{owner}/{repo}/topics`. */
  route: string;
  /**
   * A content-creating request in GitHub's sense (POST, PATCH, PUT or
   * DELETE on the REST API, app token exchanges excepted): what the
   * secondary limits of 80 a minute and 500 an hour count.
   */
  contentCreating: boolean;
  /** The HTTP status answered; 0 when the connection was cut. */
  status: number;
  /** `token`, `installation` or `app`, when authenticated. */
  identity?: string;
}

/**
 * Options for {@link startGitHubTestServer}.
 *
 * @public
 */
export interface GitHubTestServerOptions {
  /**
   * The organisations; by default `kestrel` with the teams `platform`,
   * `storefront`, `fulfilment` and `last-mile`.
   */
  orgs?: GitHubTestOrg[];
  /** The default token; random (`ghp_...`) when left out. */
  token?: string;
  /** The default token's user; `paved-bot` by default. */
  login?: string;
  /** The default token's scopes; `repo`, `admin:org` and `workflow` by default. */
  scopes?: string[];
  /** GitHub Apps to register. */
  apps?: GitHubTestApp[];
}

/**
 * A GitHub App registered on the test server, with what app-config needs.
 *
 * @public
 */
export interface GitHubTestAppCredentials {
  appId: number;
  installationId: number;
  privateKey: string;
  /** The entry for `integrations.github[].apps`. */
  config: {
    appId: number;
    clientId: string;
    clientSecret: string;
    privateKey: string;
    webhookSecret: string;
  };
}

/**
 * A running GitHub test server.
 *
 * @public
 */
export interface GitHubTestServer {
  /** The web and git root, `http://127.0.0.1:<port>`. */
  url: string;
  /** The REST root as GitHub Enterprise Server has it: `<url>/api/v3`. */
  apiBaseUrl: string;
  /** `127.0.0.1:<port>`, the integration host. */
  host: string;
  /** The default token (a classic personal access token). */
  token: string;
  /** The default token's user. */
  login: string;
  driver: GitHubTestDriver;
  /** Every request received, in order. */
  requests: GitHubTestRequest[];
  /** Forgets the recorded requests. */
  resetRequests(): void;
  /**
   * Registers a GitHub App (a fresh RSA key pair) installed on an
   * organisation (the first one by default).
   */
  createApp(options?: {
    account?: string;
    permissions?: Record<string, 'read' | 'write'>;
    repositorySelection?: 'all' | 'selected';
    repositories?: string[];
  }): GitHubTestAppCredentials;
  /**
   * One `integrations.github` entry for this server: the default token,
   * another token, or apps instead of a token.
   */
  integrationConfig(options?: {
    token?: string | null;
    apps?: GitHubTestAppCredentials[];
    /**
     * The integration host; `127.0.0.1:<port>` by default. With another
     * (e.g. `github.com`), `apiBaseUrl` still points here and git URLs
     * derived from it the GitHub Enterprise way (`<api>/../..`) do too.
     */
    host?: string;
  }): Record<string, unknown>;
  /** App-config data with this server as the GitHub integration, plus `paved` keys. */
  appConfig(options?: {
    token?: string | null;
    apps?: GitHubTestAppCredentials[];
    host?: string;
    paved?: Record<string, unknown>;
  }): Record<string, any>;
  close(): Promise<void>;
}
