/**
 * Status bodies shaped like the real apiserver's (k8s.io/apimachinery
 * pkg/api/errors): same keys, same reasons, same message formats.
 */
import {
  KubernetesResourceType,
  qualifiedKind,
  qualifiedResource,
} from './resourceTypes';

/** A `metav1.StatusCause`; the JSON key of its type is `reason`. */
export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

/** A `metav1.Status` failure body together with its HTTP code. */
export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: StatusCause[];
  };
  code: number;
}

type ResourceRef = Pick<KubernetesResourceType, 'group' | 'resource'>;

function failure(
  code: number,
  reason: string,
  message: string,
  details?: StatusBody['details'],
): StatusBody {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details && { details }),
    code,
  };
}

function resourceDetails(t: ResourceRef, name?: string) {
  return {
    ...(name !== undefined && { name }),
    ...(t.group && { group: t.group }),
    kind: t.resource,
  };
}

/** Builders for every Status the test server answers with. */
export const statusBodies = {
  /** 404 `deployments.apps "web" not found`. */
  notFound(t: ResourceRef, name: string): StatusBody {
    return failure(
      404,
      'NotFound',
      `${qualifiedResource(t)} "${name}" not found`,
      resourceDetails(t, name),
    );
  },

  /** 404 for a path no API serves. */
  pathNotFound(): StatusBody {
    return failure(
      404,
      'NotFound',
      'the server could not find the requested resource',
      {},
    );
  },

  /** 409 `namespaces "x" already exists`. */
  alreadyExists(t: ResourceRef, name: string): StatusBody {
    return failure(
      409,
      'AlreadyExists',
      `${qualifiedResource(t)} "${name}" already exists`,
      resourceDetails(t, name),
    );
  },

  /** 409 Conflict, e.g. a stale resourceVersion. */
  conflict(t: ResourceRef, name: string, detail: string): StatusBody {
    return failure(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedResource(
        t,
      )} "${name}": ${detail}`,
      resourceDetails(t, name),
    );
  },

  /** 409 Conflict from server-side apply; details carry only the causes. */
  applyConflict(message: string, causes: StatusCause[]): StatusBody {
    return failure(409, 'Conflict', message, { causes });
  },

  /** 403 Forbidden, as the authorizer or an admission plugin says it. */
  forbidden(
    t: ResourceRef,
    name: string | undefined,
    detail: string,
    causes?: StatusCause[],
  ): StatusBody {
    const subject =
      name === undefined
        ? qualifiedResource(t)
        : `${qualifiedResource(t)} "${name}"`;
    return failure(403, 'Forbidden', `${subject} is forbidden: ${detail}`, {
      ...resourceDetails(t, name),
      ...(causes && { causes }),
    });
  },

  /** 422 Invalid, from a list of field errors. */
  invalid(
    t: Pick<KubernetesResourceType, 'group' | 'kind'>,
    name: string,
    errors: Array<{ field: string; reason: string; detail: string }>,
  ): StatusBody {
    const rendered = errors.map(e => `${e.field}: ${e.detail}`);
    const joined =
      rendered.length === 1 ? rendered[0] : `[${rendered.join(', ')}]`;
    return failure(
      422,
      'Invalid',
      `${qualifiedKind(t)} "${name}" is invalid: ${joined}`,
      {
        ...(name && { name }),
        ...(t.group && { group: t.group }),
        kind: t.kind,
        causes: errors.map(e => ({
          reason: e.reason,
          message: e.detail,
          field: e.field,
        })),
      },
    );
  },

  /** 400 BadRequest. */
  badRequest(message: string): StatusBody {
    return failure(400, 'BadRequest', message);
  },

  /** 401, byte for byte what kube-apiserver sends. */
  unauthorized(): StatusBody {
    return failure(401, 'Unauthorized', 'Unauthorized');
  },

  /** 405 for a verb a resource does not support. */
  methodNotAllowed(
    t: ResourceRef,
    name: string | undefined,
    method: string,
  ): StatusBody {
    const subject =
      name === undefined
        ? qualifiedResource(t)
        : `${qualifiedResource(t)} "${name}"`;
    return failure(
      405,
      'MethodNotAllowed',
      `${method} on ${subject} is not supported`,
      resourceDetails(t, name),
    );
  },

  /** 415 for a patch type the server does not accept. */
  unsupportedMediaType(contentType: string): StatusBody {
    return failure(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got ${contentType})`,
    );
  },

  /**
   * The Status Success answered (with HTTP 200) by DELETE of a resource whose
   * store does not return the deleted object: the registry's finalizeDelete
   * sets no code, and `code` is omitempty.
   */
  deleted(t: ResourceRef, name: string, uid: string): Omit<StatusBody, 'code'> {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { ...resourceDetails(t, name), uid },
    };
  },
};
