import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';

/**
 * A run's or deployment's state as a coloured status: a workflow run's
 * `conclusion` once completed, else its `status`; a deployment's `status`.
 */
export const Status = ({ value }: { value: string }) => {
  switch (value) {
    case 'success':
    case 'succeeded':
      return <StatusOK>{value}</StatusOK>;
    case 'failure':
    case 'failed':
    case 'timed_out':
    case 'startup_failure':
      return <StatusError>{value}</StatusError>;
    case 'cancelled':
    case 'skipped':
    case 'neutral':
    case 'stale':
      return <StatusAborted>{value}</StatusAborted>;
    case 'in_progress':
    case 'running':
      return <StatusRunning>{value}</StatusRunning>;
    default:
      return <StatusPending>{value}</StatusPending>;
  }
};
