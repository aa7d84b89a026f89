import { SignInPage } from '@backstage/core-components';
import {
  configApiRef,
  githubAuthApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { SignInPageProps } from '@backstage/plugin-app-react';
import { PickerSignInPage } from './PickerSignInPage';

const githubProvider = {
  id: 'github-auth-provider',
  title: 'GitHub',
  message: 'Sign in with your GitHub account',
  apiRef: githubAuthApiRef,
};

/**
 * The sign-in page offers the providers named in `paved.signIn.providers`:
 * the picker (guest or any sample user) in the embedded default, GitHub in
 * production.
 */
export function PavedSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const names = config.getOptionalStringArray('paved.signIn.providers') ?? [
    'guest',
  ];
  if (names.includes('picker')) return <PickerSignInPage {...props} />;
  const providers = names.map(name =>
    name === 'github' ? githubProvider : ('guest' as const),
  );
  return <SignInPage {...props} providers={providers} />;
}
