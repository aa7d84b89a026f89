import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { decodeJwt } from 'jose';
import { DeploymentRun } from '../database/DeploymentStore';
import { GITHUB_ACTIONS_SUBJECT_PREFIX } from './deployTarget';

/** Who a deployment is recorded as: the user, or the token's external subject. */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? principal.subject ?? principal.type;
}

/**
 * The GitHub Actions run behind a CI caller, from the claims of its OIDC
 * token, which the auth service has verified (signature, issuer, audience)
 * before the request got here; undefined for other callers.
 */
export function runOf(
  credentials: BackstageCredentials,
  authorization: string | undefined,
): DeploymentRun | undefined {
  const subject = (credentials.principal as { subject?: string }).subject;
  if (!subject?.startsWith(GITHUB_ACTIONS_SUBJECT_PREFIX)) return undefined;
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return undefined;
  try {
    const claims = decodeJwt(token);
    const text = (key: string) =>
      claims[key] === undefined ? '' : String(claims[key]);
    if (!claims.repository) return undefined;
    return {
      repository: text('repository'),
      sha: text('sha'),
      runId: text('run_id'),
      workflow: text('workflow'),
    };
  } catch {
    return undefined;
  }
}
