/**
 * The sign-in picker of the embedded default: sign in as any User of the
 * catalogue. Refuses to start in production.
 *
 * @packageDocumentation
 */

export { authModulePavedPickerProvider as default } from './module';
export { PICKER_USER_HEADER } from './pickerAuthenticator';
export type { PickerResult } from './pickerAuthenticator';
export type { PickerUser } from './pickerUsersRouter';
