import { ContainerRule } from './ContainerRule';

/**
 * Pod Security "restricted", which every Paved namespace enforces: a
 * workload that breaks it is accepted, but its pods are never created.
 */
export const checkRestrictedProfile: ContainerRule = (
  c,
  { path, podContext, report },
) => {
  const sc = c?.securityContext ?? {};
  const capabilities = sc.capabilities ?? {};
  const drop: unknown[] = Array.isArray(capabilities.drop)
    ? capabilities.drop
    : [];
  if (!drop.includes('ALL')) {
    report(
      `${path}.securityContext.capabilities.drop`,
      'must include ALL (Pod Security "restricted", which the namespace enforces)',
    );
  }
  const added = (
    Array.isArray(capabilities.add) ? capabilities.add : []
  ).filter((cap: unknown) => cap !== 'NET_BIND_SERVICE');
  if (added.length > 0) {
    report(
      `${path}.securityContext.capabilities.add`,
      `may add only NET_BIND_SERVICE, got ${added.join(', ')}`,
    );
  }
  const seccomp = sc.seccompProfile?.type ?? podContext.seccompProfile?.type;
  if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
    report(
      `${path}.securityContext.seccompProfile.type`,
      `must be RuntimeDefault or Localhost, on the container or the pod (Pod Security "restricted")${
        seccomp ? `, got ${seccomp}` : ''
      }`,
    );
  }
};
