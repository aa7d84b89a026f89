import {
  GitHubTestServer,
  KubernetesTestServer,
  startGitHubTestServer,
  startKubernetesTestServer,
} from '@paved/testkit';

/** The project's GitHub and Kubernetes test servers, and the portal config that uses them. */
export interface TestServers {
  github: GitHubTestServer;
  cluster: KubernetesTestServer;
  /** Config over app-config.yaml: GitHub integration and Actions OIDC, the cluster. */
  config: object;
  close(): Promise<void>;
}

/**
 * Starts the GitHub test server (the GitHub integration, and GitHub
 * Actions' OIDC issuer as app-config.production.yaml trusts
 * token.actions.githubusercontent.com) and the Kubernetes test server (the
 * `dev` cluster of the kubernetes plugin and of Paved's driver, rollouts
 * completing at once).
 */
export async function startTestServers(): Promise<TestServers> {
  const github = await startGitHubTestServer({
    scopes: ['repo', 'admin:org', 'workflow'],
  });
  const cluster = await startKubernetesTestServer({ rollouts: 'immediate' });
  const clusterConfig = cluster.appConfig({ clusterName: 'dev' });
  const config = {
    backend: {
      auth: {
        externalAccess: [
          {
            type: 'jwks',
            options: {
              url: github.driver.actions.jwksUrl,
              issuer: github.driver.actions.issuer,
              audience: 'paved',
              algorithm: 'RS256',
              subjectPrefix: 'github-actions',
            },
            accessRestrictions: [{ plugin: 'deploy' }],
          },
        ],
      },
    },
    integrations: { github: [github.integrationConfig()] },
    kubernetes: clusterConfig.kubernetes,
    paved: {
      ...clusterConfig.paved,
      github: { writeInterval: { milliseconds: 0 } },
    },
  };
  return {
    github,
    cluster,
    config,
    async close() {
      await github.close();
      await cluster.close();
    },
  };
}
