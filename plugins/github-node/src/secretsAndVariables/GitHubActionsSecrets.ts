import { InputError } from '@backstage/errors';
import {
  GitHubCallOptions,
  SetActionsSecretsOptions,
  SetActionsSecretsResult,
} from '../GitHubRepoService';
import { GitHubClient } from '../client/GitHubClient';
import { GitHubSession } from '../client/GitHubSession';
import { assertActionsName, assertRepositoryName } from '../names';

type Sodium = typeof import('libsodium-wrappers');

function checkSecrets(entries: Array<[string, string]>) {
  for (const [secret, value] of entries) {
    assertActionsName(secret, `secrets.${secret}`, 'secret');
    if (typeof value !== 'string' || value.length === 0) {
      throw new InputError(`secrets.${secret}: the value is empty`);
    }
    if (Buffer.byteLength(value) > 48 * 1024) {
      throw new InputError(
        `secrets.${secret}: the value is larger than GitHub's 48 KB`,
      );
    }
  }
}

/** libsodium, loaded on first use (the backend's memory at start matters). */
async function loadSodium(): Promise<Sodium> {
  /* eslint-disable-next-line @typescript-eslint/no-require-imports */
  const sodium = require('libsodium-wrappers') as Sodium;
  await sodium.ready;
  return sodium;
}

/**
 * Actions secrets of a repository, sealed with its public key. GitHub never
 * shows them again, so they are set again on every call.
 */
export class GitHubActionsSecrets {
  readonly #client: GitHubClient;

  constructor(options: { client: GitHubClient }) {
    this.#client = options.client;
  }

  async set(
    request: SetActionsSecretsOptions,
    options?: GitHubCallOptions,
  ): Promise<SetActionsSecretsResult> {
    const { owner, name } = request;
    assertRepositoryName(name);
    const entries = Object.entries(request.secrets);
    checkSecrets(entries);
    const full = `${owner}/${name}`;
    const action = `setting Actions secrets of ${full}`;
    if (entries.length === 0) return { created: [], updated: [] };
    const s = await this.#client.session(request, action, options);
    const key = await this.#publicKey(s);
    const sodium = await loadSodium();
    const publicKey = sodium.from_base64(
      key.key,
      sodium.base64_variants.ORIGINAL,
    );
    const created: string[] = [];
    const updated: string[] = [];
    for (const [secret, value] of entries) {
      const sealed = sodium.to_base64(
        sodium.crypto_box_seal(sodium.from_string(value), publicKey),
        sodium.base64_variants.ORIGINAL,
      );
      const status = await this.#put(s, secret, sealed, key.key_id);
      (status === 201 ? created : updated).push(secret);
    }
    s.logger.info(
      `Set Actions secrets of ${full}: ${entries.map(([n]) => n).join(', ')}`,
    );
    return { created, updated };
  }

  async #publicKey(s: GitHubSession) {
    try {
      return (
        await this.#client.onRepo(s, () =>
          s.octokit.rest.actions.getRepoPublicKey({
            owner: s.repo.owner,
            repo: s.repo.name,
          }),
        )
      ).data;
    } catch (error) {
      throw this.#client.fail(
        error,
        `reading the Actions public key of ${s.full}`,
        s,
      );
    }
  }

  /** Puts one sealed secret; GitHub answers 201 when it created it. */
  async #put(
    s: GitHubSession,
    secret: string,
    sealed: string,
    keyId: string,
  ): Promise<number> {
    try {
      return (
        await this.#client.onRepo(s, () =>
          s.octokit.rest.actions.createOrUpdateRepoSecret({
            owner: s.repo.owner,
            repo: s.repo.name,
            secret_name: secret,
            encrypted_value: sealed,
            key_id: keyId,
          }),
        )
      ).status;
    } catch (error) {
      throw this.#client.fail(
        error,
        `setting Actions secret ${secret} of ${s.full}`,
        s,
      );
    }
  }
}
