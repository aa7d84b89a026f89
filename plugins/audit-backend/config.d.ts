import { HumanDuration } from '@backstage/types';

export interface Config {
  paved?: {
    /** The audit trail (the audit plugin). */
    audit?: {
      /**
       * How long audit events are kept: older ones are deleted by an hourly
       * cleanup. A duration object (`{ days: 90 }`) or a string (`90d`,
       * `P90D`). Default 90 days.
       */
      retention?: HumanDuration | string;
    };
  };
}
