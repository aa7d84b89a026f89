import { LoggerService } from '@backstage/backend-plugin-api';
import type { KubernetesObject } from '@kubernetes/client-node';
import { KubernetesClusterClient } from '../client/KubernetesClusterClient';
import { PAVED_MANAGER } from '../convention/labels';
import { ObjectOutcome } from '../KubernetesProvisioner';
import { needsApply } from './needsApply';
import { KubernetesManifest } from './parseManifests';

/** `Deployment "web"`, as messages and log lines name an object. */
export function describe(obj: {
  kind: string;
  metadata: { name?: string };
}): string {
  return `${obj.kind} "${obj.metadata.name}"`;
}

/** What identifies an object for a read or a delete. */
export function header(obj: KubernetesManifest) {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    metadata: {
      name: obj.metadata.name,
      ...(obj.metadata.namespace && { namespace: obj.metadata.namespace }),
    },
  };
}

/** What an operation reports it did to one object. */
export function outcome(
  obj: KubernetesManifest,
  action: ObjectOutcome['action'],
): ObjectOutcome {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    name: obj.metadata.name,
    ...(obj.metadata.namespace && { namespace: obj.metadata.namespace }),
    action,
  };
}

/** The live object; undefined when there is none. */
export function readLive(
  client: KubernetesClusterClient,
  obj: KubernetesManifest,
): Promise<unknown> {
  return client.read(`reading ${describe(obj)}`, () =>
    client.objects.read(header(obj)),
  );
}

/** What applying `obj` over `live` would do. */
export function classify(
  client: KubernetesClusterClient,
  obj: KubernetesManifest,
  live: unknown,
): ObjectOutcome['action'] {
  if (!live) {
    return 'created';
  }
  return needsApply(obj, live, PAVED_MANAGER, client.toModel(obj))
    ? 'updated'
    : 'unchanged';
}

/** Server-side applies one object as field manager `paved`, and logs what it did. */
export async function serverSideApply(
  client: KubernetesClusterClient,
  obj: KubernetesManifest,
  options: {
    force: boolean;
    action: ObjectOutcome['action'];
    logger: LoggerService;
  },
): Promise<KubernetesObject> {
  const applied = await client.call(`applying ${describe(obj)}`, () =>
    client.serverSideApply(obj, PAVED_MANAGER, options.force),
  );
  options.logger.info(`${options.action} ${describe(obj)}`, {
    cluster: client.name,
    namespace: obj.metadata.namespace ?? obj.metadata.name,
    kind: obj.kind,
    name: obj.metadata.name,
  });
  return applied;
}
