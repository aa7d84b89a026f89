import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';

/** Resumes the scaffolder task that waits for a decision. */
export interface TaskResumer {
  /** True when the scaffolder accepted the retry. Never throws. */
  resume(taskId: string): Promise<boolean>;
}

/**
 * Retries the waiting task through the scaffolder's API
 * (`POST /v2/tasks/:taskId/retry`) with the approvals plugin's own service
 * credentials; the review step then reads the decision. If the scaffolder
 * refuses or is down, the decision stands and a Retry of the task by a
 * person resumes it the same way.
 */
export class ScaffolderTaskResumer implements TaskResumer {
  readonly #discovery: DiscoveryService;
  readonly #auth: AuthService;
  readonly #logger: LoggerService;

  static create(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    logger: LoggerService;
  }) {
    return new ScaffolderTaskResumer(options);
  }

  private constructor(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    logger: LoggerService;
  }) {
    this.#discovery = options.discovery;
    this.#auth = options.auth;
    this.#logger = options.logger;
  }

  async resume(taskId: string): Promise<boolean> {
    try {
      const baseUrl = await this.#discovery.getBaseUrl('scaffolder');
      const { token } = await this.#auth.getPluginRequestToken({
        onBehalfOf: await this.#auth.getOwnServiceCredentials(),
        targetPluginId: 'scaffolder',
      });
      const response = await fetch(
        `${baseUrl}/v2/tasks/${encodeURIComponent(taskId)}/retry`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({}),
        },
      );
      if (response.ok) return true;
      this.#logger.warn('The scaffolder refused to resume the task', {
        taskId,
        status: response.status,
        body: (await response.text()).slice(0, 500),
      });
    } catch (error) {
      this.#logger.warn('Could not resume the task', {
        taskId,
        error: String(error),
      });
    }
    return false;
  }
}
