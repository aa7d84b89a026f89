/**
 * Actions secrets of a repository: its public key, and secrets sealed to it,
 * which are never answered back.
 */
import sodium from 'libsodium-wrappers';
import { GitHubHttpError, docs, found } from '../responses';
import { openSealedBox } from '../sealedBox';
import { timestamp } from '../serialize';
import { RepoState } from '../state';
import { listReply } from './pagination';
import { Route, repoRoute } from './route';
import { assertActionsName, requireBody, requireStrings } from './validation';

/** A secret as GitHub lists it: never its value. */
function secretJson(
  name: string,
  secret: { createdAt: string; updatedAt: string },
) {
  return { name, created_at: secret.createdAt, updated_at: secret.updatedAt };
}

/** Whether a value is a sealed box for the repository's key pair. */
async function encryptedValueOpens(
  repo: RepoState,
  encrypted: string,
): Promise<boolean> {
  if (!repo.keyPair) return false;
  try {
    await openSealedBox(repo.keyPair, encrypted);
    return true;
  } catch {
    return false;
  }
}

/** The Actions secrets endpoints, in matching order. @internal */
export const actionsSecretRoutes: Route[] = [
  repoRoute({
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/secrets/public-key',
    docs: docs.secretsKey,
    permission: 'secrets=read',
    async handler(req) {
      await sodium.ready;
      const pair = await req.driver.keyPairOf(req.repo);
      return {
        status: 200,
        body: {
          key_id: pair.keyId,
          key: sodium.to_base64(
            pair.publicKey,
            sodium.base64_variants.ORIGINAL,
          ),
        },
      };
    },
  }),
  repoRoute({
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/secrets',
    docs: docs.listSecrets,
    permission: 'secrets=read',
    handler(req) {
      return listReply(
        req,
        [...req.repo.secrets].map(([name, s]) => secretJson(name, s)),
        { key: 'secrets' },
      );
    },
  }),
  repoRoute({
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/secrets/{secret_name}',
    docs: docs.getSecret,
    permission: 'secrets=read',
    handler(req) {
      const name = req.params.secret_name.toUpperCase();
      const secret = found(req.repo.secrets.get(name), docs.getSecret);
      return { status: 200, body: secretJson(name, secret) };
    },
  }),
  repoRoute({
    method: 'PUT',
    path: '/repos/{owner}/{repo}/actions/secrets/{secret_name}',
    docs: docs.secrets,
    permission: 'secrets=write',
    async handler(req) {
      const repo = req.repo;
      const body = requireBody(req, docs.secrets);
      const name = req.params.secret_name.toUpperCase();
      assertActionsName(name, 'Secret', docs.secrets);
      requireStrings(body, ['encrypted_value', 'key_id'], docs.secrets);
      if (!repo.keyPair || body.key_id !== repo.keyPair.keyId) {
        throw new GitHubHttpError(
          422,
          'Bad request - key_id does not match the public key of the repository',
          docs.secrets,
        );
      }
      // GitHub decrypts what it stores; a value that is no sealed box for the key is refused.
      if (!(await encryptedValueOpens(repo, body.encrypted_value))) {
        throw new GitHubHttpError(
          422,
          'Bad request - encrypted_value could not be decrypted with the repository public key',
          docs.secrets,
        );
      }
      const existing = repo.secrets.get(name);
      const stamp = timestamp();
      repo.secrets.set(name, {
        encryptedValue: body.encrypted_value,
        keyId: body.key_id,
        createdAt: existing?.createdAt ?? stamp,
        updatedAt: stamp,
      });
      return existing ? { status: 204 } : { status: 201, body: {} };
    },
  }),
  repoRoute({
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/actions/secrets/{secret_name}',
    docs: docs.secrets,
    permission: 'secrets=write',
    handler(req) {
      req.repo.secrets.delete(req.params.secret_name.toUpperCase());
      return { status: 204 };
    },
  }),
];
