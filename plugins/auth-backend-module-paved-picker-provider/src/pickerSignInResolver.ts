import { Config } from '@backstage/config';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { SignInResolver } from '@backstage/plugin-auth-node';
import { PickerResult } from './pickerAuthenticator';
import { isProduction } from './pickerEnvironment';

/**
 * Signs in as the picked user, who must be a User of the catalogue (the
 * token carries the user's groups, as any sign-in does), and never in
 * production, even if the start-up check was bypassed.
 */
export function pickerSignInResolver(
  config: Config,
): SignInResolver<PickerResult> {
  return async ({ result }, ctx) => {
    if (isProduction(config)) {
      throw new NotAllowedError(
        'The sign-in picker is for the embedded default only, not production',
      );
    }
    try {
      return await ctx.signInWithCatalogUser({
        entityRef: result.userEntityRef,
      });
    } catch (error) {
      if ((error as Error).name !== 'NotFoundError') throw error;
      throw new NotFoundError(
        `${result.userEntityRef} is not a User of the catalogue; the picker signs in only as one`,
      );
    }
  };
}
