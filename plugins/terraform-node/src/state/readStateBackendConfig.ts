import { Config } from '@backstage/config';
import path from 'node:path';

/**
 * Where state is kept, with its non-secret settings and its credentials.
 *
 * @public
 */
export type TerraformBackendSettings =
  | { type: 'local'; directory?: string }
  | { type: 'pg'; connectionString?: string; schemaPrefix: string }
  | {
      type: 's3';
      bucket: string;
      region: string;
      keyPrefix: string;
      dynamodbTable?: string;
      accessKeyId?: string;
      secretAccessKey?: string;
      sessionToken?: string;
    }
  | { type: 'gcs'; bucket: string; prefix: string; credentials?: string };

/** Reads `paved.terraform.backend`; default local state. */
export function readStateBackendConfig(
  config: Config | undefined,
  cwd: string,
): TerraformBackendSettings {
  const type = config?.getOptionalString('type') ?? 'local';
  switch (type) {
    case 'local': {
      const dir = config?.getOptionalString('local.directory');
      return {
        type: 'local',
        ...(dir ? { directory: path.resolve(cwd, dir) } : {}),
      };
    }
    case 'pg':
      return readPg(config!);
    case 's3':
      return {
        type: 's3',
        bucket: config!.getString('s3.bucket'),
        region: config!.getString('s3.region'),
        keyPrefix: config!.getOptionalString('s3.keyPrefix') ?? '',
        dynamodbTable: config!.getOptionalString('s3.dynamodbTable'),
        accessKeyId: config!.getOptionalString('s3.accessKeyId'),
        secretAccessKey: config!.getOptionalString('s3.secretAccessKey'),
        sessionToken: config!.getOptionalString('s3.sessionToken'),
      };
    case 'gcs':
      return {
        type: 'gcs',
        bucket: config!.getString('gcs.bucket'),
        prefix: config!.getOptionalString('gcs.prefix') ?? '',
        credentials: config!.getOptionalString('gcs.credentials'),
      };
    default:
      throw new Error(
        `paved.terraform.backend.type: expected one of local, pg, s3, gcs, got "${type}"`,
      );
  }
}

function readPg(config: Config): TerraformBackendSettings {
  const schemaPrefix =
    config.getOptionalString('pg.schemaPrefix') ?? 'tfstate_';
  if (!/^[a-z_][a-z0-9_]{0,30}$/.test(schemaPrefix)) {
    throw new Error(
      `paved.terraform.backend.pg.schemaPrefix: expected lowercase letters, digits and underscores, got "${schemaPrefix}"`,
    );
  }
  return {
    type: 'pg',
    connectionString: config.getOptionalString('pg.connectionString'),
    schemaPrefix,
  };
}
