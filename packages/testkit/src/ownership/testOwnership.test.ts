import { mockCredentials } from '@backstage/backend-test-utils';
import { TEST_GROUPS, TEST_USERS } from './organisation';
import { testOwnership } from './testOwnership';

describe('testOwnership', () => {
  it('lets team A and the admin change what team A owns, and refuses team B', async () => {
    const ownership = testOwnership();
    const change = (user: string) =>
      ownership.mayChange({
        credentials: mockCredentials.user(user),
        ownerRef: TEST_GROUPS.teamA,
        target: 'namespace storefront-cart-dev',
        action: 'change',
      });
    await expect(change(TEST_USERS.teamA)).resolves.toBe(true);
    await expect(change(TEST_USERS.admin)).resolves.toBe(true);
    await expect(change(TEST_USERS.teamB)).resolves.toBe(false);
  });
});
