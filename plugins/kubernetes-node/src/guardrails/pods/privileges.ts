import { ContainerRule } from './ContainerRule';

/** Not privileged, and privilege escalation explicitly off. */
export const checkNoPrivilege: ContainerRule = (c, { path, report }) => {
  const sc = c?.securityContext ?? {};
  if (sc.privileged === true)
    report(
      `${path}.securityContext.privileged`,
      'privileged containers are not allowed',
    );
  if (sc.allowPrivilegeEscalation !== false) {
    report(
      `${path}.securityContext.allowPrivilegeEscalation`,
      sc.allowPrivilegeEscalation === true
        ? 'privilege escalation is not allowed'
        : 'must be set to false (privilege escalation is not allowed)',
    );
  }
};

/** Not root: runAsNonRoot on the container or the pod, and never user 0. */
export const checkNonRoot: ContainerRule = (
  c,
  { path, podContext, report },
) => {
  const sc = c?.securityContext ?? {};
  const runAsUser = sc.runAsUser ?? podContext.runAsUser;
  const runAsNonRoot = sc.runAsNonRoot ?? podContext.runAsNonRoot;
  if (runAsUser === 0) {
    report(
      `${path}.securityContext.runAsUser`,
      'running as root (user 0) is not allowed',
    );
  } else if (runAsNonRoot !== true) {
    report(
      `${path}.securityContext.runAsNonRoot`,
      'must be true, on the container or the pod (running as root is not allowed)',
    );
  }
};
