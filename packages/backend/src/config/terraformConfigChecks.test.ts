import { ConfigReader } from '@backstage/config';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  planKeyProblem,
  taskRecoveryProblem,
  terraformConfigProblems,
} from './terraformConfigChecks';

const ROOT = path.resolve(__dirname, '../../../..');

function production(planEncryptionKey?: string) {
  return new ConfigReader({
    auth: { environment: 'production' },
    paved: { terraform: { planEncryptionKey } },
  });
}

describe('terraformConfigProblems', () => {
  it('refuses, in production, the placeholder of docker/kubernetes/secret.example.yaml', () => {
    const secret = parseYaml(
      fs.readFileSync(
        path.join(ROOT, 'docker/kubernetes/secret.example.yaml'),
        'utf8',
      ),
    );
    const placeholder = secret.stringData.PAVED_TERRAFORM_PLAN_KEY;
    expect(typeof placeholder).toBe('string');
    expect(terraformConfigProblems(production(placeholder))).toEqual([
      'paved.terraform.planEncryptionKey: is the placeholder of docker/kubernetes/secret.example.yaml, not a key; production needs a random key of at least 32 bytes, e.g. the output of "openssl rand -base64 32", in PAVED_TERRAFORM_PLAN_KEY',
    ]);
  });

  it('refuses, in production, a missing, short or low-entropy key', () => {
    expect(terraformConfigProblems(production(undefined))).toEqual([
      expect.stringMatching(/^paved\.terraform\.planEncryptionKey: missing; /),
    ]);
    expect(terraformConfigProblems(production(''))).toEqual([
      expect.stringMatching(/^paved\.terraform\.planEncryptionKey: missing; /),
    ]);
    // 24 random bytes in base64: 32 characters, but only 24 bytes of key.
    expect(planKeyProblem(crypto.randomBytes(24).toString('base64'))).toMatch(
      /^paved\.terraform\.planEncryptionKey: too short, 24 bytes; /,
    );
    expect(planKeyProblem('a-short-passphrase')).toMatch(/too short, 18 bytes/);
    expect(planKeyProblem('a'.repeat(64))).toMatch(
      /^paved\.terraform\.planEncryptionKey: too little entropy, 1 distinct byte values in 32 bytes/,
    );
    expect(planKeyProblem(Buffer.alloc(32).toString('base64'))).toMatch(
      /too little entropy, 1 distinct byte values in 32 bytes/,
    );
    expect(planKeyProblem('abcd-'.repeat(8))).toMatch(
      /too little entropy, 5 distinct byte values in 40 bytes/,
    );
  });

  it('accepts, in production, a random key in base64 or hex, and checks nothing outside production', () => {
    expect(
      terraformConfigProblems(
        production(crypto.randomBytes(32).toString('base64')),
      ),
    ).toEqual([]);
    expect(planKeyProblem(crypto.randomBytes(32).toString('hex'))).toBe(
      undefined,
    );
    expect(
      terraformConfigProblems(
        new ConfigReader({ paved: { terraform: { planEncryptionKey: '' } } }),
      ),
    ).toEqual([]);
  });

  it('refuses task recovery that resumes a task before a dead process’s Terraform lease lapses, naming both keys', () => {
    const config = (scaffolder: object, lockLease?: string) =>
      new ConfigReader({
        scaffolder,
        paved: { terraform: lockLease ? { lockLease } : {} },
      });
    expect(
      taskRecoveryProblem(
        config({ taskRecovery: { enabled: true, staleTimeout: '15s' } }, '2m'),
      ),
    ).toBe(
      'scaffolder.taskRecovery.staleTimeout (15 s) must be at least paved.terraform.lockLease (2 min) plus 5 s: otherwise a task is resumed while the Terraform workspace lease of the process that died still holds, and its Terraform steps fail; raise scaffolder.taskRecovery.staleTimeout or lower paved.terraform.lockLease',
    );
    // The defaults: 30 s of the scaffolder, 2 minutes of the runner.
    expect(
      taskRecoveryProblem(config({ taskRecovery: { enabled: true } })),
    ).toMatch(
      /^scaffolder\.taskRecovery\.staleTimeout \(30 s\) must be at least paved\.terraform\.lockLease \(2 min\)/,
    );
    expect(
      taskRecoveryProblem(
        config(
          { taskRecovery: { enabled: true, staleTimeout: { minutes: 3 } } },
          '2m',
        ),
      ),
    ).toBe(undefined);
    expect(
      taskRecoveryProblem(
        config({ taskRecovery: { enabled: true, staleTimeout: '15s' } }, '10s'),
      ),
    ).toBe(undefined);
    expect(
      taskRecoveryProblem(
        config({ taskRecovery: { enabled: false, staleTimeout: '1s' } }, '2m'),
      ),
    ).toBe(undefined);
  });
});
