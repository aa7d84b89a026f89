import { ReportViolation } from '../GuardrailRule';
import { ContainerRule } from './ContainerRule';

/** No host network, PID or IPC namespace and no hostPath volume. */
export function checkPodHostAccess(
  podSpec: any,
  prefix: string,
  report: ReportViolation,
) {
  if (podSpec.hostNetwork === true)
    report(`${prefix}.hostNetwork`, 'host network is not allowed');
  if (podSpec.hostPID === true)
    report(`${prefix}.hostPID`, 'the host PID namespace is not allowed');
  if (podSpec.hostIPC === true)
    report(`${prefix}.hostIPC`, 'the host IPC namespace is not allowed');
  (Array.isArray(podSpec.volumes) ? podSpec.volumes : []).forEach(
    (volume: any, i: number) => {
      if (volume?.hostPath) {
        report(
          `${prefix}.volumes[${i}].hostPath`,
          `hostPath volumes are not allowed (volume "${volume.name}")`,
        );
      }
    },
  );
}

/** No port bound on the node. */
export const checkNoHostPorts: ContainerRule = (c, { path, report }) => {
  (Array.isArray(c?.ports) ? c.ports : []).forEach((port: any, p: number) => {
    if (port?.hostPort) {
      report(`${path}.ports[${p}].hostPort`, 'host ports are not allowed');
    }
  });
};
