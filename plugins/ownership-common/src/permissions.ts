import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The resource type of a target a group owns: a namespace, a repository,
 * a Terraform workspace. Its resource is the owner Paved recorded for the
 * target (`{ ownerRef }`); the policy answers with a condition on it.
 *
 * @public
 */
export const PAVED_OWNED_TARGET_RESOURCE_TYPE = 'paved-owned-target';

/**
 * Changing a target a group owns: provisioning or applying to a namespace,
 * hardening a repository, planning or applying a Terraform workspace.
 *
 * @public
 */
export const pavedTargetChangePermission = createPermission({
  name: 'paved.target.change',
  attributes: { action: 'update' },
  resourceType: PAVED_OWNED_TARGET_RESOURCE_TYPE,
});

/**
 * Destroying a target a group owns: deleting or archiving a repository,
 * deleting a namespace, destroying a Terraform workspace.
 *
 * @public
 */
export const pavedTargetDeletePermission = createPermission({
  name: 'paved.target.delete',
  attributes: { action: 'delete' },
  resourceType: PAVED_OWNED_TARGET_RESOURCE_TYPE,
});

/**
 * Approving or rejecting a request for approval (a Terraform plan) whose
 * target a group owns. The resource is the owner of the request's target:
 * members of the owning group and admins may decide; whether the requester
 * may decide their own request is the approvals service's rule
 * (`paved.permissions.allowSelfApproval`).
 *
 * @public
 */
export const pavedApprovalDecidePermission = createPermission({
  name: 'paved.approval.decide',
  attributes: { action: 'update' },
  resourceType: PAVED_OWNED_TARGET_RESOURCE_TYPE,
});

/**
 * Reading Paved's audit trail: admins only.
 *
 * @public
 */
export const pavedAuditReadPermission = createPermission({
  name: 'paved.audit.read',
  attributes: { action: 'read' },
});

/**
 * Every permission of Paved's ownership checks.
 *
 * @public
 */
export const pavedOwnershipPermissions = [
  pavedTargetChangePermission,
  pavedTargetDeletePermission,
  pavedApprovalDecidePermission,
  pavedAuditReadPermission,
];
