import { ConfigReader } from '@backstage/config';
import { createMockDirectory } from '@backstage/backend-test-utils';
import path from 'node:path';
import { readTerraformRunnerConfig } from './readTerraformRunnerConfig';

describe('readTerraformRunnerConfig', () => {
  const mockDir = createMockDirectory();

  it('defaults to terraform, local state and the nearest modules directory', () => {
    mockDir.setContent({
      'repo/templates/terraform/modules/x/module.json': '{}',
      'repo/packages/backend/package.json': '{}',
    });
    const cwd = path.join(mockDir.path, 'repo', 'packages', 'backend');
    expect(readTerraformRunnerConfig(new ConfigReader({}), { cwd })).toEqual({
      binary: 'terraform',
      modulesDir: path.join(mockDir.path, 'repo/templates/terraform/modules'),
      workDir: path.join(mockDir.path, 'repo/data/terraform'),
      backend: { type: 'local' },
      planMaxAgeMs: 3_600_000,
      cancelGracePeriodMs: 30_000,
      lockLeaseMs: 120_000,
      stateLockTimeoutMs: 0,
      environment: {},
      secretEnvironment: {},
      planMaxBytes: 32 * 1024 * 1024,
    });
  });

  it('reads every key, with paths relative to the working directory and durations in any form', () => {
    const settings = readTerraformRunnerConfig(
      new ConfigReader({
        paved: {
          terraform: {
            binary: '/opt/tofu/bin/tofu',
            modulesDir: '../../templates/terraform/modules',
            workDir: '../../data/terraform/work',
            planMaxAge: '2h',
            cancelGracePeriod: { seconds: 45 },
            lockLease: 'PT5M',
            stateLockTimeout: '10s',
            environment: { AWS_REGION: 'eu-west-1' },
            secretEnvironment: { AWS_SECRET_ACCESS_KEY: 'k' },
            planMaxBytes: 8_388_608,
            planEncryptionKey: 'k'.repeat(44),
            backend: {
              type: 'local',
              local: { directory: '../../data/terraform/state' },
            },
          },
        },
      }),
      { cwd: '/srv/paved/packages/backend' },
    );
    expect(settings).toEqual({
      binary: '/opt/tofu/bin/tofu',
      modulesDir: '/srv/paved/templates/terraform/modules',
      workDir: '/srv/paved/data/terraform/work',
      backend: { type: 'local', directory: '/srv/paved/data/terraform/state' },
      planMaxAgeMs: 7_200_000,
      cancelGracePeriodMs: 45_000,
      lockLeaseMs: 300_000,
      stateLockTimeoutMs: 10_000,
      environment: { AWS_REGION: 'eu-west-1' },
      secretEnvironment: { AWS_SECRET_ACCESS_KEY: 'k' },
      planMaxBytes: 8_388_608,
      planEncryptionKey: 'k'.repeat(44),
    });
  });

  it('reads the pg, s3 and gcs backends', () => {
    const backend = (b: object) =>
      readTerraformRunnerConfig(
        new ConfigReader({ paved: { terraform: { backend: b } } }),
        { cwd: '/srv' },
      ).backend;
    expect(backend({ type: 'pg' })).toEqual({
      type: 'pg',
      connectionString: undefined,
      schemaPrefix: 'tfstate_',
    });
    expect(
      backend({
        type: 's3',
        s3: { bucket: 'b', region: 'eu-west-1', dynamodbTable: 'locks' },
      }),
    ).toEqual({
      type: 's3',
      bucket: 'b',
      region: 'eu-west-1',
      keyPrefix: '',
      dynamodbTable: 'locks',
      accessKeyId: undefined,
      secretAccessKey: undefined,
      sessionToken: undefined,
    });
    expect(
      backend({ type: 'gcs', gcs: { bucket: 'b', prefix: 'paved/' } }),
    ).toEqual({
      type: 'gcs',
      bucket: 'b',
      prefix: 'paved/',
      credentials: undefined,
    });
  });

  it('names the key of a bad value', () => {
    const read = (terraform: object) => () =>
      readTerraformRunnerConfig(new ConfigReader({ paved: { terraform } }), {
        cwd: '/srv',
      });
    expect(read({ backend: { type: 'azurerm' } })).toThrow(
      'paved.terraform.backend.type: expected one of local, pg, s3, gcs, got "azurerm"',
    );
    expect(
      read({ backend: { type: 'pg', pg: { schemaPrefix: 'Bad-Prefix' } } }),
    ).toThrow(
      'paved.terraform.backend.pg.schemaPrefix: expected lowercase letters, digits and underscores, got "Bad-Prefix"',
    );
    expect(
      read({ backend: { type: 's3', s3: { region: 'eu-west-1' } } }),
    ).toThrow(
      "Missing required config value at 'paved.terraform.backend.s3.bucket'",
    );
    expect(read({ planMaxBytes: 1.5 })).toThrow(
      'paved.terraform.planMaxBytes: expected a whole number of bytes, at least 1024, got 1.5',
    );
    expect(read({ planEncryptionKey: 'short-key' })).toThrow(
      'paved.terraform.planEncryptionKey: expected at least 32 characters (for example the output of "openssl rand -base64 32"), got 9',
    );
    expect(
      read({
        planEncryptionKey: 'k'.repeat(32),
        previousPlanEncryptionKeys: ['j'.repeat(32), 'old'],
      }),
    ).toThrow(
      'paved.terraform.previousPlanEncryptionKeys[1]: expected at least 32 characters',
    );
    expect(read({ previousPlanEncryptionKeys: ['j'.repeat(32)] })).toThrow(
      'paved.terraform.previousPlanEncryptionKeys: set only together with paved.terraform.planEncryptionKey',
    );
    expect(read({ planMaxAge: 'soon' })).toThrow(
      "Invalid duration 'soon' in config at 'paved.terraform.planMaxAge'",
    );
  });
});
