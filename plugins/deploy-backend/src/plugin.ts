import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { gitHubRepoServiceRef } from '@paved/plugin-github-node';
import { kubernetesProvisionerServiceRef } from '@paved/plugin-kubernetes-node';
import { ownershipServiceRef } from '@paved/plugin-ownership-node';
import { DatabaseDeploymentStore } from './database/DatabaseDeploymentStore';
import { DeployAccess } from './service/DeployAccess';
import { Deployer } from './service/Deployer';
import { WorkflowRunsReader } from './service/WorkflowRunsReader';
import { createRouter } from './service/router';

/**
 * Deploys at /api/deploy: `POST /deployments` sets the image of a
 * component's workloads in one of its environments through the Kubernetes
 * driver's guardrails and waits for the rollout, for a member of the
 * owning team or for a GitHub Actions workflow of the component's own
 * repository (its OIDC token, accepted through `backend.auth.externalAccess`);
 * `GET /deployments` and `GET /runs` list a component's deployments and CI
 * runs.
 *
 * @public
 */
export const deployPlugin = createBackendPlugin({
  pluginId: 'deploy',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        ownership: ownershipServiceRef,
        provisioner: kubernetesProvisionerServiceRef,
        github: gitHubRepoServiceRef,
      },
      async init(deps) {
        const { catalog, auth, provisioner, ownership } = deps;
        const deployer = new Deployer({
          catalog,
          auth,
          provisioner,
          access: new DeployAccess({ provisioner, ownership }),
          store: await DatabaseDeploymentStore.create({
            database: deps.database,
          }),
          auditor: deps.auditor,
          logger: deps.logger,
        });
        deps.httpRouter.use(
          createRouter({
            deployer,
            runs: new WorkflowRunsReader({ github: deps.github }),
            catalog,
            auth,
            httpAuth: deps.httpAuth,
          }),
        );
      },
    });
  },
});
