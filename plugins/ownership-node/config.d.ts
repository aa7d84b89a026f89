export interface Config {
  paved?: {
    /** Who may do what in Paved, beyond owning what they change. */
    permissions?: {
      /**
       * Groups whose members (directly or through child groups) are
       * admins: they may change what any group owns, read every task,
       * dry-run templates and read the audit trail. Entity refs
       * (`group:default/platform`) or names (`platform`).
       */
      adminGroups?: string[];
      /**
       * Whether the person who asked for a change may approve it
       * themselves. The embedded default allows it for a one-person
       * portal; production requires a different person (false).
       */
      allowSelfApproval?: boolean;
    };
  };
}
