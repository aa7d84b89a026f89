import { ProxiedSignInPage } from '@backstage/core-components';
import { SignInPageProps } from '@backstage/plugin-app-react';
import { useState } from 'react';
import {
  PICKER_USER_HEADER,
  forgettingOnSignOut,
  rememberPick,
  rememberedPick,
} from './rememberedPick';
import { UserPicker } from './UserPicker';

/**
 * The picker (`paved.signIn.providers: [picker]`, embedded default only):
 * signs in through the backend's `picker` provider as the user picked,
 * and again silently on later page loads until sign-out.
 */
export function PickerSignInPage(props: SignInPageProps) {
  const [picked, setPicked] = useState(rememberedPick);
  const pick = (userEntityRef: string) => {
    rememberPick(userEntityRef);
    setPicked(userEntityRef);
  };
  if (!picked) return <UserPicker onPick={pick} />;
  return (
    <ProxiedSignInPage
      key={picked}
      {...props}
      provider="picker"
      headers={{ [PICKER_USER_HEADER]: picked }}
      onSignInSuccess={identity =>
        props.onSignInSuccess(forgettingOnSignOut(identity))
      }
      ErrorComponent={({ error }) => {
        rememberPick(undefined);
        return <UserPicker onPick={pick} error={error} />;
      }}
    />
  );
}
