import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { createProxyAuthenticator } from '@backstage/plugin-auth-node';

/** The request header naming the user the person picked. */
export const PICKER_USER_HEADER = 'x-paved-picker-user';

/** What the picker authenticates: the user entity ref the person picked. */
export type PickerResult = { userEntityRef: string };

/**
 * Reads the picked user from {@link PICKER_USER_HEADER}: a user entity ref
 * (`user:default/lena-fischer`) or a bare name (`lena-fischer`).
 */
export const pickerAuthenticator = createProxyAuthenticator<
  void,
  PickerResult,
  undefined
>({
  defaultProfileTransform: async result => ({
    profile: { displayName: parseEntityRef(result.userEntityRef).name },
  }),
  initialize() {},
  async authenticate({ req }) {
    const header = req.get(PICKER_USER_HEADER)?.trim();
    const expected = `${PICKER_USER_HEADER} header: expected a user entity ref such as user:default/lena-fischer`;
    if (!header) throw new InputError(`${expected}, got none`);
    let ref;
    try {
      ref = parseEntityRef(header, {
        defaultKind: 'user',
        defaultNamespace: 'default',
      });
    } catch {
      throw new InputError(`${expected}, got "${header}"`);
    }
    if (ref.kind.toLocaleLowerCase('en-US') !== 'user') {
      throw new InputError(`${expected}, got a ${ref.kind}: "${header}"`);
    }
    return {
      result: {
        userEntityRef: stringifyEntityRef(ref).toLocaleLowerCase('en-US'),
      },
    };
  },
});
