import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** The shortest `paved.terraform.planEncryptionKey` accepted. */
const MIN_PLAN_KEY_LENGTH = 32;

/** Throws, naming the config key, when a plan encryption key is too short. */
export function checkPlanEncryptionKey(
  secret: string,
  key = 'paved.terraform.planEncryptionKey',
): void {
  if (secret.length < MIN_PLAN_KEY_LENGTH) {
    throw new Error(
      `${key}: expected at least ${MIN_PLAN_KEY_LENGTH} characters (for example the output of "openssl rand -base64 32"), got ${secret.length}`,
    );
  }
}

const FORMAT = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HKDF_SALT = 'paved-terraform';

/**
 * What applying a saved plan needs besides the module's files: the plan
 * file, the dependency lock file `init` wrote, and the variables.
 *
 * @public
 */
export interface PlanBundle {
  planFile: Buffer;
  /** `.terraform.lock.hcl` as `init` left it, when it wrote one. */
  lockFile?: string;
  variables: Record<string, unknown>;
}

/**
 * A bundle as stored: AES-256-GCM ciphertext bound to its plan id, and the
 * id of the key that sealed it.
 *
 * @public
 */
export interface SealedPlanBundle {
  content: Buffer;
  keyId: string;
}

function deriveKey(secret: Buffer, info: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', secret, HKDF_SALT, info, 32));
}

/** The AES key of some key material, and the id that names it. */
function deriveKeys(material: Buffer): { key: Buffer; keyId: string } {
  return {
    key: deriveKey(material, 'paved-terraform-plan-files v1'),
    keyId: deriveKey(material, 'paved-terraform-plan-files key id')
      .toString('hex')
      .slice(0, 16),
  };
}

/**
 * Seals plan bundles for the database: plan files hold the request's
 * variable values (passwords included) and the prior state, which must not
 * sit in a table in clear. The key is `paved.terraform.planEncryptionKey`
 * when configured (the same on every replica), and otherwise a random key
 * generated once into a file in the work directory, which only replicas
 * sharing that directory can read.
 *
 * @public
 */
export class PlanFileCipher {
  /** Names the key without revealing it. */
  readonly keyId: string;
  readonly #key: Buffer;
  /** Where the key came from, for error messages. */
  readonly #origin: string;
  /** Keys that only open, by key id: those a rotation replaced. */
  readonly #previous: ReadonlyMap<string, Buffer>;

  private constructor(options: {
    key: Buffer;
    keyId: string;
    origin: string;
    previous?: ReadonlyMap<string, Buffer>;
  }) {
    this.#key = options.key;
    this.keyId = options.keyId;
    this.#origin = options.origin;
    this.#previous = options.previous ?? new Map();
  }

  /**
   * The cipher of a configured secret (at least 32 characters). Plans sealed
   * under one of `previousSecrets` (`paved.terraform.previousPlanEncryptionKeys`)
   * still open, so that rotating the key does not strand plans waiting for
   * review; new plans are sealed under `secret` only.
   */
  static fromSecret(
    secret: string,
    previousSecrets: string[] = [],
  ): PlanFileCipher {
    checkPlanEncryptionKey(secret);
    const current = deriveKeys(Buffer.from(secret, 'utf8'));
    const previous = new Map<string, Buffer>();
    previousSecrets.forEach((old, index) => {
      checkPlanEncryptionKey(
        old,
        `paved.terraform.previousPlanEncryptionKeys[${index}]`,
      );
      const { key, keyId } = deriveKeys(Buffer.from(old, 'utf8'));
      if (keyId !== current.keyId) previous.set(keyId, key);
    });
    return new PlanFileCipher({
      ...current,
      origin: 'paved.terraform.planEncryptionKey',
      previous,
    });
  }

  /**
   * The cipher of the key in `file`, generated there (mode 0600) when the
   * file does not exist yet.
   */
  static async fromKeyFile(
    file: string,
    logger: LoggerService,
  ): Promise<PlanFileCipher> {
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    // Written aside, then linked into place: whoever reads the file finds a
    // whole key, and of two replicas creating it at once, one wins.
    const draft = `${file}.${process.pid}.${crypto
      .randomBytes(4)
      .toString('hex')}`;
    await fs.writeFile(draft, crypto.randomBytes(32).toString('base64'), {
      mode: 0o600,
    });
    try {
      await fs.link(draft, file);
      logger.warn(
        `paved.terraform.planEncryptionKey is not set: saved plans are encrypted with a key generated in ${file}, so only replicas sharing that file can apply them. Set the key to the same value on every replica to apply plans anywhere.`,
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await fs.rm(draft, { force: true });
    }
    const material = Buffer.from(
      (await fs.readFile(file, 'utf8')).trim(),
      'base64',
    );
    if (material.length < 32) {
      throw new Error(
        `${file}: expected a base64 key of 32 bytes, the plan encryption key this replica generated; remove the file to generate a new one`,
      );
    }
    return PlanFileCipher.fromKeyMaterial(material, `the key file ${file}`);
  }

  private static fromKeyMaterial(material: Buffer, origin: string) {
    return new PlanFileCipher({ ...deriveKeys(material), origin });
  }

  /** Encrypts a bundle; the ciphertext only opens for the same plan id. */
  seal(planId: string, bundle: PlanBundle): SealedPlanBundle {
    const header = Buffer.from(
      JSON.stringify({
        lockFile: bundle.lockFile ?? null,
        variables: bundle.variables,
      }),
      'utf8',
    );
    const length = Buffer.alloc(4);
    length.writeUInt32BE(header.length);
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(planId, 'utf8'));
    const encrypted = [
      cipher.update(length),
      cipher.update(header),
      cipher.update(bundle.planFile),
      cipher.final(),
    ];
    return {
      content: Buffer.concat([
        Buffer.from([FORMAT]),
        iv,
        cipher.getAuthTag(),
        ...encrypted,
      ]),
      keyId: this.keyId,
    };
  }

  /**
   * Decrypts a bundle sealed for `planId`; a ConflictError when another key
   * sealed it or the content was altered.
   */
  open(planId: string, sealed: SealedPlanBundle): PlanBundle {
    const key =
      sealed.keyId === this.keyId
        ? this.#key
        : this.#previous.get(sealed.keyId);
    if (!key) {
      const previous = this.#previous.size
        ? ` and previous keys ${[...this.#previous.keys()].join(', ')}`
        : '';
      throw new ConflictError(
        `planId: plan ${planId} was encrypted with key ${
          sealed.keyId
        }, and this replica has key ${this.keyId} (${
          this.#origin
        })${previous}; set paved.terraform.planEncryptionKey to the same value on every replica (after a rotation, keep the old key in paved.terraform.previousPlanEncryptionKeys until its plans are applied or expired), or plan again`,
      );
    }
    const { content } = sealed;
    const headerBytes = 1 + IV_BYTES + TAG_BYTES;
    let plain: Buffer;
    try {
      if (content.length < headerBytes + 4 || content[0] !== FORMAT) {
        throw new Error(`format ${content[0]}`);
      }
      const decipher = crypto.createDecipheriv(
        'aes-256-gcm',
        key,
        content.subarray(1, 1 + IV_BYTES),
      );
      decipher.setAAD(Buffer.from(planId, 'utf8'));
      decipher.setAuthTag(content.subarray(1 + IV_BYTES, headerBytes));
      plain = Buffer.concat([
        decipher.update(content.subarray(headerBytes)),
        decipher.final(),
      ]);
    } catch {
      throw new ConflictError(
        `planId: the stored plan file of plan ${planId} does not decrypt with key ${sealed.keyId}: it was altered or belongs to another plan; plan again`,
      );
    }
    const length = plain.readUInt32BE(0);
    const header = JSON.parse(plain.subarray(4, 4 + length).toString('utf8'));
    return {
      planFile: plain.subarray(4 + length),
      ...(typeof header.lockFile === 'string'
        ? { lockFile: header.lockFile }
        : {}),
      variables: header.variables ?? {},
    };
  }
}
