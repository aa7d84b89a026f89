import { IdentityApi } from '@backstage/core-plugin-api';

const KEY = 'paved:signIn:picker';

/** The header the picker provider reads the picked user from. */
export const PICKER_USER_HEADER = 'x-paved-picker-user';

/** The user picked on this browser, so that a page load signs in again silently. */
export function rememberedPick(): string | undefined {
  return localStorage.getItem(KEY) ?? undefined;
}

export function rememberPick(userEntityRef: string | undefined) {
  if (userEntityRef) localStorage.setItem(KEY, userEntityRef);
  else localStorage.removeItem(KEY);
}

/**
 * The signed-in identity, whose sign-out also forgets the pick, so that
 * the next page load offers the picker again.
 */
export function forgettingOnSignOut(identity: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identity.getProfileInfo(),
    getBackstageIdentity: () => identity.getBackstageIdentity(),
    getCredentials: () => identity.getCredentials(),
    signOut: async () => {
      rememberPick(undefined);
      await identity.signOut();
    },
  };
}
