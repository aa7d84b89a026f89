import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { KubernetesProvisioner } from '@paved/plugin-kubernetes-node';
import { OwnershipService } from '@paved/plugin-ownership-node';
import {
  DeployTarget,
  GITHUB_ACTIONS_SUBJECT_PREFIX,
  GITHUB_PROJECT_SLUG,
  isGitHubActions,
  projectSlugOf,
} from './deployTarget';

/**
 * Who may deploy to a component's environment: a person whom the
 * permission policy lets change what the namespace's recorded owner owns,
 * or a GitHub Actions workflow of the component's own repository (its OIDC
 * token's subject, `repo:<owner>/<repo>:...`, names the repository of the
 * component's `github.com/project-slug`). Nobody else: any other service
 * (the scaffolder acting for a task a service started, too) is judged as a
 * person would be, and a service belongs to no group.
 */
export class DeployAccess {
  readonly #provisioner: KubernetesProvisioner;
  readonly #ownership: OwnershipService;

  constructor(options: {
    provisioner: KubernetesProvisioner;
    ownership: OwnershipService;
  }) {
    this.#provisioner = options.provisioner;
    this.#ownership = options.ownership;
  }

  /** Throws NotAllowedError (403) unless the caller may deploy to the target; reads only. */
  async assertMayDeploy(
    credentials: BackstageCredentials,
    target: DeployTarget,
  ): Promise<void> {
    if (!isGitHubActions(credentials) || !target.entity) {
      // People, and services (which belong to no group, so are refused).
      await this.#assertOwner(credentials, target);
      return;
    }
    const subject =
      (credentials.principal as { subject?: string }).subject ?? '';
    const slug = projectSlugOf(target.entity);
    if (!slug) {
      throw new NotAllowedError(
        `${target.entityRef} has no ${GITHUB_PROJECT_SLUG} annotation naming a GitHub repository (owner/name), so no repository's workflow may deploy it`,
      );
    }
    const allowed = `${GITHUB_ACTIONS_SUBJECT_PREFIX}repo:${slug}:`;
    if (!subject.toLowerCase().startsWith(allowed.toLowerCase())) {
      throw new NotAllowedError(
        `${subject} may not deploy ${target.entityRef}: only the GitHub Actions workflows of ${slug} may (an OIDC token whose subject starts repo:${slug}:)`,
      );
    }
  }

  /** A person or a service: the permission policy's answer for the owner recorded on the namespace. */
  async #assertOwner(credentials: BackstageCredentials, target: DeployTarget) {
    const { component, environment, namespace } = target;
    const live = await this.#provisioner.getNamespace({
      component,
      environment,
    });
    if (!live) {
      throw new NotFoundError(
        `Namespace "${namespace}" does not exist; provision ${target.entityRef}'s ${environment} environment first`,
      );
    }
    if (!live.provisioned || !live.owner) {
      throw new NotAllowedError(
        `Namespace "${namespace}" ${
          live.foreign ?? 'has no owner label'
        }; Paved deploys only to namespaces it provisioned`,
      );
    }
    await this.#ownership.assertMayChange({
      credentials,
      ownerRef: `group:default/${live.owner}`,
      target: `namespace ${namespace}`,
      action: 'deploy an image to',
    });
  }
}
