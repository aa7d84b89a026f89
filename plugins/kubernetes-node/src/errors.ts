import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/** Where a failed request went and what it was doing. */
export interface KubernetesErrorContext {
  cluster: string;
  url: string;
  /** e.g. `applying Deployment "web"` */
  action: string;
  timeoutMs: number;
}

interface StatusLike {
  message?: string;
  reason?: string;
  details?: {
    causes?: Array<{ reason?: string; message?: string; field?: string }>;
  };
}

/** The Status body of an ApiException; the body may be raw text, parsed JSON or absent. */
export function statusOf(error: unknown): StatusLike | undefined {
  const body = (error as { body?: unknown })?.body;
  if (typeof body === 'string') {
    try {
      return JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  return typeof body === 'object' && body !== null
    ? (body as StatusLike)
    : undefined;
}

/**
 * The HTTP code of the client's ApiException, if the error is one. Checked by
 * shape, so this module does not load the client; a DOMException has a
 * numeric code too, but no body or headers.
 */
export function httpCodeOf(error: unknown): number | undefined {
  const e = error as { code?: unknown; headers?: unknown };
  return error instanceof Error &&
    typeof e.code === 'number' &&
    'body' in error &&
    typeof e.headers === 'object'
    ? e.code
    : undefined;
}

/** OpenSSL's verification failures, as Node reports them in `error.code`. */
const TLS_CODES =
  /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_(HAS_EXPIRED|NOT_YET_VALID|SIGNATURE_FAILURE|UNTRUSTED|REVOKED)|ERR_TLS_CERT_ALTNAME_INVALID)$/;

function networkCause(
  error: unknown,
): { kind: 'timeout' | 'tls' | 'network'; detail: string } | undefined {
  let current: any = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current.name === 'TimeoutError' || current.name === 'AbortError') {
      return { kind: 'timeout', detail: 'timeout' };
    }
    const detail = `${current.code}${
      current.message ? ` (${current.message})` : ''
    }`;
    if (typeof current.code === 'string' && TLS_CODES.test(current.code)) {
      return { kind: 'tls', detail };
    }
    if (
      typeof current.code === 'string' &&
      /^(E[A-Z_]+|UND_ERR_[A-Z_]+)$/.test(current.code)
    ) {
      return { kind: 'network', detail };
    }
    current = current.cause;
  }
  if ((error as Error)?.message?.includes('fetch failed')) {
    return { kind: 'network', detail: 'fetch failed' };
  }
  return undefined;
}

/**
 * The apiVersion and kind a failed discovery request was for, when the
 * cluster does not serve the group version (404) or the kind.
 */
export function discoveryMiss(error: unknown): string | undefined {
  const text = error instanceof Error ? error.message : '';
  const unknownKind = text.match(
    /Unrecognized API version and kind: (\S+) (\S+)/,
  );
  if (unknownKind) {
    return `${unknownKind[1]} ${unknownKind[2]}`;
  }
  const failed = text.match(
    /^Failed to fetch resource metadata for (.+)\/([^/:]+): /,
  );
  if (failed && httpCodeOf(error) === 404) {
    return `${failed[1]} ${failed[2]}`;
  }
  return undefined;
}

/** A refusal (403); a server-side apply that creates is also authorized as create, and that refusal carries RBAC's reason, which is empty. */
function forbidden(
  message: string,
  ctx: KubernetesErrorContext,
  where: string,
) {
  const noReason = /is forbidden: ?$/.test(message);
  if (noReason && ctx.action.startsWith('applying ')) {
    return new NotAllowedError(
      `${where} refused ${ctx.action}: ${message.replace(
        /: ?$/,
        '',
      )}; Paved's credentials may patch it but not create it, and a server-side apply that creates an object needs the create verb as well as patch (the RBAC Paved needs: plugins/kubernetes-node/README.md)`,
    );
  }
  return new NotAllowedError(`${where} refused ${ctx.action}: ${message}`);
}

/** The error for an HTTP status the cluster answered with. */
function statusError(
  code: number,
  error: unknown,
  ctx: KubernetesErrorContext,
  where: string,
): Error {
  const status = statusOf(error);
  const message = status?.message ?? `HTTP ${code}`;
  switch (code) {
    case 401:
      return new AuthenticationError(
        `${where} rejected Paved's credentials while ${ctx.action} (401 Unauthorized); the service-account token may have expired or been revoked`,
      );
    case 403:
      return forbidden(message, ctx, where);
    case 404:
      return new NotFoundError(`${where}: ${message} (while ${ctx.action})`);
    case 409: {
      const conflicts = (status?.details?.causes ?? []).filter(
        c => c.reason === 'FieldManagerConflict',
      );
      const hint =
        conflicts.length > 0
          ? '; another field manager owns these fields: apply with force to take them over, or remove them from the manifests'
          : '';
      return new ConflictError(
        `${where}: ${message} (while ${ctx.action})${hint}`,
      );
    }
    case 400:
    case 422:
      return new InputError(`${where} rejected ${ctx.action}: ${message}`);
    default:
      return new ServiceUnavailableError(
        `${where} answered ${code} while ${ctx.action}: ${message}`,
      );
  }
}

/** The error for a request that got no answer: a timeout, an untrusted certificate, a network failure. */
function noAnswerError(
  error: unknown,
  ctx: KubernetesErrorContext,
  where: string,
): Error {
  const network = networkCause(error);
  if (network?.kind === 'timeout') {
    return new ServiceUnavailableError(
      `${where} at ${ctx.url} did not answer within ${
        Math.round(ctx.timeoutMs / 100) / 10
      }s while ${ctx.action}`,
    );
  }
  if (network?.kind === 'tls') {
    return new ServiceUnavailableError(
      `${where} at ${ctx.url} presented a TLS certificate Paved does not trust while ${ctx.action}: ${network.detail}; give the cluster's CA as caData or caFile`,
    );
  }
  if (network) {
    return new ServiceUnavailableError(
      `${where} at ${ctx.url} is unreachable while ${ctx.action}: ${network.detail}`,
    );
  }
  const text = error instanceof Error ? error.message : String(error);
  return new ServiceUnavailableError(
    `${where} at ${ctx.url}: ${ctx.action} failed: ${text}`,
  );
}

/**
 * Turns what `@kubernetes/client-node` throws into an error from
 * `@backstage/errors` that names the cluster and says what failed. The
 * client's own message (which carries response headers) is never passed on,
 * and nothing here can contain the credentials.
 */
export function toKubernetesError(
  error: unknown,
  ctx: KubernetesErrorContext,
): Error {
  const where = `Kubernetes cluster "${ctx.cluster}"`;
  const discovery = discoveryMiss(error);
  if (discovery) {
    return new InputError(
      `${where} does not serve ${discovery} (while ${ctx.action}); check apiVersion and kind, or install the CRD`,
    );
  }
  const code = httpCodeOf(error);
  if (code !== undefined) {
    return statusError(code, error, ctx, where);
  }
  return noAnswerError(error, ctx, where);
}
