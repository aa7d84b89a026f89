import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

const signInPage = SignInPageBlueprint.make({
  params: {
    // A separate chunk: the sign-in page (and core-components' SignInPage)
    // stays out of the initial JavaScript of every page load.
    loader: () => import('./PavedSignInPage').then(m => m.PavedSignInPage),
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage],
});
