import { TerraformRunnerSettings } from '../readTerraformRunnerConfig';
import { TerraformStateBackend } from '../state/TerraformStateBackend';

/** Environment variables terraform inherits from the portal's process. */
const INHERITED_ENV = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'TMPDIR',
  'LANG',
  'LC_ALL',
  'TZ',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'TF_CLI_CONFIG_FILE',
  'TF_PLUGIN_CACHE_DIR',
  // Workload identity: where credentials are, never credentials themselves.
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_PROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'GOOGLE_APPLICATION_CREDENTIALS',
];

/**
 * The only environment terraform gets: a few variables of the portal's
 * process, the configured environment and credentials, and the state
 * backend's credentials.
 */
export function childEnvironment(
  settings: Pick<TerraformRunnerSettings, 'environment' | 'secretEnvironment'>,
  stateBackend: TerraformStateBackend,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of INHERITED_ENV) {
    if (process.env[name] !== undefined) env[name] = process.env[name];
  }
  Object.assign(
    env,
    {
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
    },
    settings.environment,
    settings.secretEnvironment,
  );
  return { ...env, ...stateBackend.environment() };
}
