/**
 * The OIDC issuer of GitHub Actions (`https://token.actions.githubusercontent.com`)
 * as the test server plays it: an RSA key, the discovery document and the
 * JWKS at `/.well-known/`, and the ID tokens a job gets with the claims
 * GitHub documents ("About security hardening with OpenID Connect").
 */
import crypto from 'node:crypto';
import { JWK, KeyLike, SignJWT, exportJWK, generateKeyPair } from 'jose';

/** What a job's token says about its run. @public */
export interface GitHubActionsTokenRequest {
  /** `owner/repo`. */
  repository: string;
  /** `refs/heads/main` by default. */
  ref?: string;
  /** The commit; 40 hex digits, made up when left out. */
  sha?: string;
  runId?: number;
  /** The workflow's name, `CI` by default. */
  workflow?: string;
  /** The workflow file, `.github/workflows/ci.yaml` by default. */
  workflowPath?: string;
  /** A job in an environment gets `sub: repo:<o>/<r>:environment:<name>`. */
  environment?: string;
  /** The `audience` the job asked for. */
  audience: string;
  /** Seconds from now the token expires; 300 as GitHub's do. */
  expiresInSeconds?: number;
  /** Another issuer than the server's, to show it is refused. */
  issuer?: string;
}

/** The ids the issuer needs from the repository. @internal */
export interface RepositoryIds {
  repositoryId: number;
  ownerId: number;
  visibility: string;
}

/** The claims GitHub lists in `claims_supported`. */
const CLAIMS_SUPPORTED = [
  'sub',
  'aud',
  'exp',
  'iat',
  'iss',
  'jti',
  'nbf',
  'ref',
  'sha',
  'repository',
  'repository_id',
  'repository_owner',
  'repository_owner_id',
  'run_id',
  'run_number',
  'run_attempt',
  'actor',
  'actor_id',
  'workflow',
  'workflow_ref',
  'workflow_sha',
  'head_ref',
  'base_ref',
  'event_name',
  'ref_type',
  'ref_protected',
  'environment',
  'job_workflow_ref',
  'job_workflow_sha',
  'repository_visibility',
  'runner_environment',
];

/** Signs job tokens with one RS256 key and publishes it. @internal */
export class ActionsOidcIssuer {
  #issuer = '';
  readonly #kid = crypto.randomBytes(20).toString('hex').toUpperCase();
  #keys?: Promise<{ privateKey: KeyLike; jwk: JWK }>;

  /** The issuer URL, once the server listens. */
  get issuer(): string {
    return this.#issuer;
  }

  setIssuer(url: string) {
    this.#issuer = url;
  }

  #keyPair() {
    this.#keys ??= generateKeyPair('RS256', { extractable: true }).then(
      async ({ privateKey, publicKey }) => ({
        privateKey,
        jwk: await exportJWK(publicKey),
      }),
    );
    return this.#keys;
  }

  /** `/.well-known/openid-configuration`. */
  discovery() {
    return {
      issuer: this.#issuer,
      jwks_uri: `${this.#issuer}/.well-known/jwks`,
      subject_types_supported: ['public', 'pairwise'],
      response_types_supported: ['id_token'],
      claims_supported: CLAIMS_SUPPORTED,
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid'],
    };
  }

  /** `/.well-known/jwks`. */
  async jwks() {
    const { jwk } = await this.#keyPair();
    return { keys: [{ ...jwk, kid: this.#kid, alg: 'RS256', use: 'sig' }] };
  }

  /** A signed ID token for a job of the repository's workflow. */
  async sign(request: GitHubActionsTokenRequest, ids: RepositoryIds) {
    const { privateKey } = await this.#keyPair();
    const [owner] = request.repository.split('/');
    const ref = request.ref ?? 'refs/heads/main';
    const sha = request.sha ?? crypto.randomBytes(20).toString('hex');
    const workflowRef = `${request.repository}/${
      request.workflowPath ?? '.github/workflows/ci.yaml'
    }@${ref}`;
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      jti: crypto.randomUUID(),
      sub: request.environment
        ? `repo:${request.repository}:environment:${request.environment}`
        : `repo:${request.repository}:ref:${ref}`,
      ...(request.environment && { environment: request.environment }),
      ref,
      sha,
      repository: request.repository,
      repository_owner: owner,
      repository_owner_id: String(ids.ownerId),
      repository_id: String(ids.repositoryId),
      repository_visibility: ids.visibility,
      run_id: String(request.runId ?? now),
      run_number: '1',
      run_attempt: '1',
      actor: 'paved-bot',
      actor_id: '1',
      workflow: request.workflow ?? 'CI',
      workflow_ref: workflowRef,
      workflow_sha: sha,
      job_workflow_ref: workflowRef,
      job_workflow_sha: sha,
      head_ref: '',
      base_ref: '',
      event_name: 'push',
      ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
      ref_protected: 'true',
      runner_environment: 'github-hosted',
    };
    return (
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: this.#kid, typ: 'JWT' })
        .setIssuer(request.issuer ?? this.#issuer)
        .setAudience(request.audience)
        .setIssuedAt(now)
        // GitHub's tokens: valid from 10 minutes before issue, for 5 minutes.
        .setNotBefore(now - 600)
        .setExpirationTime(now + (request.expiresInSeconds ?? 300))
        .sign(privateKey)
    );
  }
}
