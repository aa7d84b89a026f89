import { Config } from '@backstage/config';
import { ConfigSchema } from '@backstage/config-loader';
import { terraformConfigProblems } from './terraformConfigChecks';

/** Keys that must be set when the portal runs on PostgreSQL. */
const POSTGRES_REQUIRED = ['host', 'port', 'user'] as const;

function describeSchemaError(message: string): string {
  // config-loader reports "... at /backend/database" with JSON pointer paths.
  const match = message.match(/^(.*) at (\/\S*)$/);
  if (!match) return message;
  const parts = match[2].split('/').filter(Boolean);
  const missing = match[1].match(/required property '([^']+)'/);
  if (missing) {
    return `${[...parts, missing[1]].join('.')}: missing, it is required`;
  }
  return `${parts.join('.') || '(root)'}: ${match[1].replace(/^Config /, '')}`;
}

/**
 * Checks the loaded configuration before any plugin starts, so a missing or
 * malformed value stops the backend with a message that names the key.
 *
 * @returns one line per problem; empty when the configuration is valid
 */
export function validateConfig(config: Config, schema: ConfigSchema): string[] {
  const problems: string[] = [];
  try {
    schema.process([{ data: config.get() as any, context: 'app-config' }], {
      ignoreSchemaErrors: false,
    });
  } catch (error) {
    const messages: string[] = (error as { messages?: string[] }).messages ?? [
      String((error as Error).message),
    ];
    problems.push(...messages.map(describeSchemaError));
  }

  const client = config.getOptionalString('backend.database.client');
  const connection = config.getOptional('backend.database.connection');
  if (client === 'pg' && typeof connection !== 'string') {
    for (const key of POSTGRES_REQUIRED) {
      const path = `backend.database.connection.${key}`;
      const value = config.getOptional(path);
      if (value === undefined || value === '') {
        problems.push(
          `${path}: missing, it is required when backend.database.client is 'pg'`,
        );
      }
    }
    const port = config.getOptional('backend.database.connection.port');
    if (port !== undefined && !/^\d{1,5}$/.test(String(port))) {
      problems.push(
        `backend.database.connection.port: expected a port number, got '${port}'`,
      );
    }
  }
  problems.push(...terraformConfigProblems(config));
  return problems;
}
