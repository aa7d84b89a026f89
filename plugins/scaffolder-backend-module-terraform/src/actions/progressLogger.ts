import { LoggerService } from '@backstage/backend-plugin-api';
import { TerraformProgressEvent } from '@paved/plugin-terraform-node';

/**
 * Writes the runner's progress lines (already free of secrets) to the task
 * log.
 */
export function progressLogger(logger: LoggerService) {
  // No fields: the task log shows them after the line, and each line names
  // its resource already.
  return (event: TerraformProgressEvent) => {
    if (event.level === 'error') logger.error(event.message);
    else if (event.level === 'warn') logger.warn(event.message);
    else logger.info(event.message);
  };
}
