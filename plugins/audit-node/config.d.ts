export interface Config {
  paved?: {
    /** The audit trail. */
    audit?: {
      /**
       * Outcomes of a lower severity are not stored; failures (refusals and
       * denials included) always are. `low` (the default) stores every
       * auditor event, the catalogue's and the scaffolder's reads included;
       * `medium` leaves those reads out.
       */
      minimumSeverity?: 'low' | 'medium' | 'high' | 'critical';
    };
  };
}
