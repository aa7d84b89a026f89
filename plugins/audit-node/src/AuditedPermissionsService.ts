import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  PermissionsService,
  PermissionsServiceRequestOptions,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizePermissionRequest,
  AuthorizePermissionResponse,
  AuthorizeResult,
  QueryPermissionRequest,
  QueryPermissionResponse,
} from '@backstage/plugin-permission-common';

/** Options of {@link AuditedPermissionsService.create}. @public */
export type AuditedPermissionsServiceOptions = {
  /** The permissions service that decides (upstream's ServerPermissionClient). */
  permissions: PermissionsService;
  auditor: AuditorService;
  auth: AuthService;
};

/**
 * A plugin's permissions service that reports every DENY it receives to
 * the plugin's auditor as a failed `permission-denied` event (who, which
 * permission, which resource). The permission backend emits no auditor
 * events of its own, so this is where denials enter the audit trail.
 * Conditional decisions are the plugin's to apply; a refusal that follows
 * from one is audited where it is applied (`auditChange` in Paved's
 * drivers, the scaffolder's own task events).
 *
 * @public
 */
export class AuditedPermissionsService implements PermissionsService {
  readonly #permissions: PermissionsService;
  readonly #auditor: AuditorService;
  readonly #auth: AuthService;

  static create(options: AuditedPermissionsServiceOptions) {
    return new AuditedPermissionsService(options);
  }

  private constructor(options: AuditedPermissionsServiceOptions) {
    this.#permissions = options.permissions;
    this.#auditor = options.auditor;
    this.#auth = options.auth;
  }

  async authorize(
    requests: AuthorizePermissionRequest[],
    options: PermissionsServiceRequestOptions,
  ): Promise<AuthorizePermissionResponse[]> {
    const responses = await this.#permissions.authorize(requests, options);
    await this.#reportDenials(requests, responses, options.credentials);
    return responses;
  }

  async authorizeConditional(
    requests: QueryPermissionRequest[],
    options: PermissionsServiceRequestOptions,
  ): Promise<QueryPermissionResponse[]> {
    const responses = await this.#permissions.authorizeConditional(
      requests,
      options,
    );
    await this.#reportDenials(requests, responses, options.credentials);
    return responses;
  }

  async #reportDenials(
    requests: Array<AuthorizePermissionRequest | QueryPermissionRequest>,
    responses: Array<{ result: AuthorizeResult }>,
    credentials: BackstageCredentials,
  ) {
    const denied = requests.filter(
      (_, i) => responses[i]?.result === AuthorizeResult.DENY,
    );
    if (denied.length === 0) return;
    const actor = this.#actorOf(credentials);
    for (const request of denied) {
      const resourceRef =
        'resourceRef' in request && typeof request.resourceRef === 'string'
          ? request.resourceRef
          : null;
      const event = await this.#auditor.createEvent({
        eventId: 'permission-denied',
        severityLevel: 'medium',
        meta: {
          actor,
          permission: request.permission.name,
          target: resourceRef ?? request.permission.name,
        },
      });
      await event.fail({
        error: new NotAllowedError(
          `${actor ?? 'an anonymous caller'} was denied ${
            request.permission.name
          }${resourceRef ? ` on ${resourceRef}` : ''}`,
        ),
      });
    }
  }

  #actorOf(credentials: BackstageCredentials): string | null {
    if (this.#auth.isPrincipal(credentials, 'user')) {
      return credentials.principal.userEntityRef;
    }
    if (this.#auth.isPrincipal(credentials, 'service')) {
      return credentials.principal.subject;
    }
    return null;
  }
}
