import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';

/** Resumes the scaffolder task that waits for a decision. */
export interface TaskResumer {
  /**
   * Retries the task on behalf of the person who decided. True when the
   * scaffolder accepted the retry. Never throws.
   */
  resume(taskId: string, decider: BackstageCredentials): Promise<boolean>;
}

/**
 * Retries the waiting task through the scaffolder's API
 * (`POST /v2/tasks/:taskId/retry`) on behalf of the person who decided, so
 * the review step reads the decision. Not with the plugin's own service
 * credentials: a Retry makes its caller the task's initiator, and the apply
 * step that follows an approval checks the initiator against the
 * workspace's owner, which a service principal never passes. The decider
 * is a member of the owning group (or an admin), so both the scaffolder's
 * retry permission and that check hold. If the scaffolder refuses or is
 * down, the decision stands and a person's Retry resumes the task the
 * same way.
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

  async resume(
    taskId: string,
    decider: BackstageCredentials,
  ): Promise<boolean> {
    try {
      const baseUrl = await this.#discovery.getBaseUrl('scaffolder');
      const { token } = await this.#auth.getPluginRequestToken({
        onBehalfOf: decider,
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
