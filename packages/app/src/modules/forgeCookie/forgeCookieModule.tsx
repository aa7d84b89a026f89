import { ReactNode } from 'react';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { AppRootWrapperBlueprint } from '@backstage/plugin-app-react';
import { useCookieAuthRefresh } from '@backstage/plugin-auth-react';

/**
 * Keeps the forge's user cookie (`/api/forge/.backstage/auth/v1/cookie`)
 * fresh while someone is signed in, so that a page of the local forge opened
 * from the portal ("View source", the task's Repository link) reads a
 * private repository as that person: a browser following a link sends no
 * Backstage token.
 *
 * It is CookieAuthRefreshProvider's hook without the provider's gate: the
 * portal does not wait for the forge, nor show an error instead of every
 * page when the forge cannot issue the cookie (its pages then answer 401).
 */
export function ForgeCookieRefresh(props: { children: ReactNode }) {
  useCookieAuthRefresh({ pluginId: 'forge' });
  return <>{props.children}</>;
}

// App root wrappers render inside the sign-in gate: once signed in.
const forgeCookieWrapper = AppRootWrapperBlueprint.make({
  name: 'forge-cookie',
  params: { component: ForgeCookieRefresh },
});

export const forgeCookieModule = createFrontendModule({
  pluginId: 'app',
  extensions: [forgeCookieWrapper],
});
