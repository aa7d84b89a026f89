import { KubernetesManifest } from '../../apply/parseManifests';
import { groupOf } from '../everyObject/allowedKinds';

/** Whether an object is of the RBAC API group, not a same-named kind of another. */
export function isRbac(m: KubernetesManifest): boolean {
  return groupOf(m.apiVersion) === 'rbac.authorization.k8s.io';
}
