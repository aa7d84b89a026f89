export { TEST_GROUPS, TEST_USERS, testOrganisation } from './organisation';
export { testOwnership } from './testOwnership';
export { recordingAuditor } from './recordingAuditor';
export type { RecordedEvent } from './recordingAuditor';
