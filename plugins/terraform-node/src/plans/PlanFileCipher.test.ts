import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import { PlanFileCipher } from './PlanFileCipher';

const SECRET = 'db-master-password-in-the-plan-0c9d8e';
const PLAN_ID = '00000000-0000-4000-8000-000000000001';

const bundle = {
  // Every byte value, and the secret as the plan file carries it.
  planFile: Buffer.concat([
    Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
    Buffer.from(`{"variables":{"master_password":"${SECRET}"}}`),
  ]),
  lockFile: 'provider "registry.terraform.io/hashicorp/aws" {\n}\n',
  variables: { name: 'orders', master_password: SECRET },
};

describe('PlanFileCipher', () => {
  const mockDir = createMockDirectory();

  it('seals a bundle so that nothing of it can be read, and opens it again', () => {
    const cipher = PlanFileCipher.fromSecret('k'.repeat(32));
    const sealed = cipher.seal(PLAN_ID, bundle);
    expect(sealed.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(sealed.content.includes(SECRET)).toBe(false);
    expect(sealed.content.includes(bundle.planFile.subarray(0, 64))).toBe(
      false,
    );
    expect(cipher.open(PLAN_ID, sealed)).toEqual(bundle);
    // Sealing twice gives different ciphertexts (a fresh IV each time).
    expect(cipher.seal(PLAN_ID, bundle).content.equals(sealed.content)).toBe(
      false,
    );
    const { lockFile: _none, ...noLock } = bundle;
    expect(cipher.open(PLAN_ID, cipher.seal(PLAN_ID, noLock))).toEqual(noLock);
  });

  it('refuses another plan id, altered content and another key, saying which', () => {
    const cipher = PlanFileCipher.fromSecret('k'.repeat(32));
    const other = PlanFileCipher.fromSecret('j'.repeat(32));
    expect(other.keyId).not.toBe(cipher.keyId);
    const sealed = cipher.seal(PLAN_ID, bundle);
    const otherPlan = '00000000-0000-4000-8000-000000000002';
    expect(() => cipher.open(otherPlan, sealed)).toThrow(
      `planId: the stored plan file of plan ${otherPlan} does not decrypt with key ${cipher.keyId}: it was altered or belongs to another plan; plan again`,
    );
    const altered = Buffer.from(sealed.content);
    altered[40] ^= 0xff;
    expect(() => cipher.open(PLAN_ID, { ...sealed, content: altered })).toThrow(
      'it was altered or belongs to another plan',
    );
    expect(() =>
      cipher.open(PLAN_ID, { ...sealed, content: Buffer.alloc(3) }),
    ).toThrow('it was altered or belongs to another plan');
    const wrongKey = (() => {
      try {
        other.open(PLAN_ID, sealed);
        return undefined;
      } catch (e) {
        return e as Error;
      }
    })();
    expect(wrongKey?.name).toBe('ConflictError');
    expect(wrongKey?.message).toBe(
      `planId: plan ${PLAN_ID} was encrypted with key ${cipher.keyId}, and this replica has key ${other.keyId} (paved.terraform.planEncryptionKey); set paved.terraform.planEncryptionKey to the same value on every replica (after a rotation, keep the old key in paved.terraform.previousPlanEncryptionKeys until its plans are applied or expired), or plan again`,
    );
    expect(() => PlanFileCipher.fromSecret('short')).toThrow(
      'paved.terraform.planEncryptionKey: expected at least 32 characters (for example the output of "openssl rand -base64 32"), got 5',
    );
  });

  it('opens plans sealed under a rotated-out key kept as a previous key, and seals new ones under the new key', () => {
    const oldKey = 'o'.repeat(32);
    const newKey = 'n'.repeat(32);
    const before = PlanFileCipher.fromSecret(oldKey);
    const waiting = before.seal(PLAN_ID, bundle);
    const rotated = PlanFileCipher.fromSecret(newKey, [oldKey]);
    expect(rotated.keyId).toBe(PlanFileCipher.fromSecret(newKey).keyId);
    expect(rotated.open(PLAN_ID, waiting)).toEqual(bundle);
    const fresh = rotated.seal(PLAN_ID, bundle);
    expect(fresh.keyId).toBe(rotated.keyId);
    // The old key alone can no longer open what the rotated cipher seals.
    expect(() => before.open(PLAN_ID, fresh)).toThrow(
      `was encrypted with key ${rotated.keyId}`,
    );
    // Once the old key is dropped, its plans are refused, naming both keys.
    expect(() =>
      PlanFileCipher.fromSecret(newKey).open(PLAN_ID, waiting),
    ).toThrow(
      `planId: plan ${PLAN_ID} was encrypted with key ${before.keyId}, and this replica has key ${rotated.keyId}`,
    );
    const third = PlanFileCipher.fromSecret('t'.repeat(32), [newKey]);
    expect(() => third.open(PLAN_ID, waiting)).toThrow(
      `and previous keys ${rotated.keyId}; set paved.terraform.planEncryptionKey to the same value on every replica (after a rotation, keep the old key in paved.terraform.previousPlanEncryptionKeys until its plans are applied or expired), or plan again`,
    );
    expect(() => PlanFileCipher.fromSecret(newKey, ['short'])).toThrow(
      'paved.terraform.previousPlanEncryptionKeys[0]: expected at least 32 characters',
    );
  });

  it('generates a key file once, readable by its owner only, when no key is configured', async () => {
    const file = path.join(mockDir.path, 'work', '.paved-plan-files.key');
    const logger = mockServices.logger.mock();
    // Two runners starting at once agree on one key.
    const [first, racing] = await Promise.all([
      PlanFileCipher.fromKeyFile(file, logger),
      PlanFileCipher.fromKeyFile(file, logger),
    ]);
    expect(racing.keyId).toBe(first.keyId);
    expect(fs.readdirSync(path.dirname(file))).toEqual([
      '.paved-plan-files.key',
    ]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      `paved.terraform.planEncryptionKey is not set: saved plans are encrypted with a key generated in ${file}, so only replicas sharing that file can apply them. Set the key to the same value on every replica to apply plans anywhere.`,
    );
    // A restart: the same key, no new warning.
    const [again, concurrent] = await Promise.all([
      PlanFileCipher.fromKeyFile(file, logger),
      PlanFileCipher.fromKeyFile(file, logger),
    ]);
    expect([again.keyId, concurrent.keyId]).toEqual([first.keyId, first.keyId]);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(again.open(PLAN_ID, first.seal(PLAN_ID, bundle))).toEqual(bundle);
    // The key itself never is the key id.
    expect(fs.readFileSync(file, 'utf8')).not.toContain(first.keyId);

    fs.writeFileSync(file, 'c2hvcnQ=');
    await expect(PlanFileCipher.fromKeyFile(file, logger)).rejects.toThrow(
      `${file}: expected a base64 key of 32 bytes, the plan encryption key this replica generated; remove the file to generate a new one`,
    );
  });
});
