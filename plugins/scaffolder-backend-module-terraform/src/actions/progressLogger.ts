import { LoggerService } from '@backstage/backend-plugin-api';
import { TerraformProgressEvent } from '@paved/plugin-terraform-node';

/**
 * Writes the runner's progress lines (already free of secrets) to the task
 * log.
 */
export function progressLogger(logger: LoggerService) {
  return (event: TerraformProgressEvent) => {
    const meta = event.address ? { address: event.address } : undefined;
    if (event.level === 'error') logger.error(event.message, meta);
    else if (event.level === 'warn') logger.warn(event.message, meta);
    else logger.info(event.message, meta);
  };
}
