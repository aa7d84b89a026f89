import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { pickerAuthenticator } from './pickerAuthenticator';
import { PICKER_CONFIG_KEY, assertPickerAllowed } from './pickerEnvironment';
import { pickerSignInResolver } from './pickerSignInResolver';
import { pickerUsersRouter } from './pickerUsersRouter';

/**
 * The `picker` sign-in provider of the embedded default
 * (`auth.providers.picker`): sign in as any User of the catalogue, to see
 * the permission policy at work. Nothing is registered without the config
 * key, and a production backend with it refuses to start.
 *
 * @public
 */
export const authModulePavedPickerProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'paved-picker-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
      },
      async init({ providers, config, httpRouter, catalog, auth }) {
        if (!config.has(PICKER_CONFIG_KEY)) return;
        assertPickerAllowed(config);
        providers.registerProvider({
          providerId: 'picker',
          factory: createProxyAuthProviderFactory({
            authenticator: pickerAuthenticator,
            signInResolver: pickerSignInResolver(config),
          }),
        });
        httpRouter.use(
          pickerUsersRouter({
            catalog,
            auth,
            namespace: config.getOptionalString(
              `${PICKER_CONFIG_KEY}.namespace`,
            ),
          }),
        );
      },
    });
  },
});
