import crypto from 'node:crypto';
import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  KubernetesProvisioner,
  RolloutResult,
  SetImageResult,
  namespaceNameFor,
} from '@paved/plugin-kubernetes-node';
import { auditChange } from '@paved/plugin-ownership-node';
import { Deployment, DeploymentStore } from '../database/DeploymentStore';
import { DeployAccess } from './DeployAccess';
import { DeployTarget, isGitHubActions } from './deployTarget';
import { actorOf, runOf } from './runOf';

/** What a deploy asks for (already checked for shape). */
export interface DeployRequest {
  entityRef: string;
  environment: string;
  image: string;
}

/** What a dry run answers: the workloads whose image the deploy would set, and those already running it. */
export interface DeployPlan {
  entityRef: string;
  environment: string;
  namespace: string;
  image: string;
  /** Every workload of the component, as Kind/name. */
  workloads: string[];
  /** Those whose image the deploy would change. */
  changes: string[];
}

/** Reads components from the catalogue with the plugin's own credentials. */
export async function readComponent(
  catalog: CatalogService,
  auth: AuthService,
  entityRef: string,
) {
  const entity = await catalog.getEntityByRef(entityRef, {
    credentials: await auth.getOwnServiceCredentials(),
  });
  if (!entity || entity.kind.toLowerCase() !== 'component') {
    throw new NotFoundError(
      `entityRef: no component ${entityRef} in the catalogue`,
    );
  }
  return entity;
}

/** Why a rollout did not end available, in one line. */
function failureOf(rollout: RolloutResult): string {
  const waiting = rollout.workloads.filter(w => !w.ready);
  return `rollout ${rollout.outcome}: ${waiting
    .map(w => `${w.kind} "${w.name}": ${w.message}`)
    .join('; ')}`;
}

/**
 * A deploy: the caller checked, the image set on the component's workloads
 * through the Kubernetes driver's guardrails, the rollout waited for, the
 * deployment recorded and audited.
 */
export class Deployer {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #provisioner: KubernetesProvisioner;
  readonly #access: DeployAccess;
  readonly #store: DeploymentStore;
  readonly #auditor: AuditorService;
  readonly #logger: LoggerService;

  constructor(options: {
    catalog: CatalogService;
    auth: AuthService;
    provisioner: KubernetesProvisioner;
    access: DeployAccess;
    store: DeploymentStore;
    auditor: AuditorService;
    logger: LoggerService;
  }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#provisioner = options.provisioner;
    this.#access = options.access;
    this.#store = options.store;
    this.#auditor = options.auditor;
    this.#logger = options.logger;
  }

  /** Deploys the image; the recorded deployment (status failed when the rollout failed). */
  async deploy(
    credentials: BackstageCredentials,
    request: DeployRequest,
    authorization: string | undefined,
  ): Promise<Deployment> {
    const target = this.#target(request);
    const actor = actorOf(credentials);
    return auditChange(
      this.#auditor,
      {
        eventId: 'image-deploy',
        actor,
        target: `namespace ${target.namespace}`,
        details: {
          entityRef: target.entityRef,
          environment: target.environment,
          image: request.image,
        },
      },
      async () => {
        await this.#assertMayDeploy(credentials, target);
        const startedAt = new Date();
        const set = await this.#provisioner.setImage({
          component: target.component,
          environment: target.environment,
          image: request.image,
        });
        const rollout = await this.#waitForRollout(target, set);
        const run = runOf(credentials, authorization);
        const deployment: Deployment = {
          id: crypto.randomUUID(),
          entityRef: target.entityRef,
          environment: target.environment,
          image: request.image,
          status:
            rollout?.outcome === 'available' || !rollout
              ? 'succeeded'
              : 'failed',
          workloads: set.workloads.map(w => `${w.kind}/${w.name}`),
          startedAt: startedAt.toISOString(),
          finishedAt: new Date().toISOString(),
          actor,
          ...(rollout &&
            rollout.outcome !== 'available' && { message: failureOf(rollout) }),
          ...(run && { run }),
        };
        await this.#store.add(deployment);
        this.#logger.info('Deployed image', {
          entityRef: target.entityRef,
          namespace: target.namespace,
          image: request.image,
          status: deployment.status,
          actor,
        });
        return deployment;
      },
    );
  }

  /**
   * A dry run of {@link Deployer.deploy}: the same caller check and the
   * driver's guardrails, writing nothing to the cluster and recording nothing.
   */
  async plan(
    credentials: BackstageCredentials,
    request: DeployRequest,
  ): Promise<DeployPlan> {
    const target = this.#target(request);
    await this.#assertMayDeploy(credentials, target);
    const set = await this.#provisioner.setImage({
      component: target.component,
      environment: target.environment,
      image: request.image,
      dryRun: true,
    });
    const name = (w: { kind: string; name: string }) => `${w.kind}/${w.name}`;
    return {
      entityRef: target.entityRef,
      environment: target.environment,
      namespace: target.namespace,
      image: request.image,
      workloads: set.workloads.map(name),
      changes: set.workloads.filter(w => w.action === 'updated').map(name),
    };
  }

  /**
   * The caller check, then the component read: a person or another service
   * is judged by the namespace's owner before the catalogue is asked, a
   * GitHub Actions workflow by the component's repository.
   */
  async #assertMayDeploy(
    credentials: BackstageCredentials,
    target: DeployTarget,
  ): Promise<void> {
    const read = () =>
      readComponent(this.#catalog, this.#auth, target.entityRef);
    if (isGitHubActions(credentials)) {
      const entity = await read();
      await this.#access.assertMayDeploy(credentials, { ...target, entity });
      return;
    }
    await this.#access.assertMayDeploy(credentials, target);
    await read();
  }

  /** The entity's deployments, newest first. */
  async list(entityRef: string): Promise<Deployment[]> {
    return this.#store.list({ entityRef, limit: 100 });
  }

  /** The component's environment and its namespace; refuses a bad environment naming the field. */
  #target(request: DeployRequest): DeployTarget {
    // The router hands a component ref the catalogue's way, in lower case.
    const component = parseEntityRef(request.entityRef).name;
    let namespace: string;
    try {
      namespace = namespaceNameFor(component, request.environment);
    } catch (error) {
      throw new InputError(
        `environment: ${(error as Error).message.replace(
          /^environment:\s*/,
          '',
        )}`,
      );
    }
    return {
      entityRef: request.entityRef,
      component,
      environment: request.environment,
      namespace,
    };
  }

  /** Waits for the Deployments and StatefulSets the image was set on (CronJobs have no rollout). */
  async #waitForRollout(target: DeployTarget, set: SetImageResult) {
    const workloads = set.workloads.flatMap(w =>
      w.kind === 'CronJob' ? [] : [{ kind: w.kind, name: w.name }],
    );
    if (workloads.length === 0) return undefined;
    return this.#provisioner.waitForRollout({
      component: target.component,
      environment: target.environment,
      workloads,
    });
  }
}
