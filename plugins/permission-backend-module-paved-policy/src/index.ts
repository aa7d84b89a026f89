/**
 * Paved's permission policy, as a module of the permission backend.
 *
 * @packageDocumentation
 */

export { permissionModulePavedPolicy as default } from './module';
export { PavedPermissionPolicy } from './PavedPermissionPolicy';
export type { PavedPermissionPolicyOptions } from './PavedPermissionPolicy';
export { Teammates } from './Teammates';
export type { TeammatesOptions } from './Teammates';
