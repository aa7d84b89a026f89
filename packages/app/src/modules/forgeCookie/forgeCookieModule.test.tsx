import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { act, screen, waitFor } from '@testing-library/react';
import { ForgeCookieRefresh } from './forgeCookieModule';

describe('ForgeCookieRefresh', () => {
  // The hook tells other tabs over a BroadcastChannel it never closes, which
  // would keep the test worker alive; tabs are not what is tested here.
  const channel = Object.getOwnPropertyDescriptor(window, 'BroadcastChannel');
  beforeAll(() => delete (window as any).BroadcastChannel);
  afterAll(() => {
    if (channel) Object.defineProperty(window, 'BroadcastChannel', channel);
  });

  const discovery = {
    getBaseUrl: async (pluginId: string) =>
      `http://localhost:7007/api/${pluginId}`,
  };

  it("fetches the forge's user cookie with the browser's credentials, showing the app meanwhile", async () => {
    let answer: (r: Response) => void = () => {};
    const fetch = jest.fn(
      () => new Promise<Response>(resolve => (answer = resolve)),
    );
    const { unmount } = renderInTestApp(
      <ForgeCookieRefresh>the portal</ForgeCookieRefresh>,
      {
        apis: [
          [fetchApiRef, { fetch }],
          [discoveryApiRef, discovery],
        ],
      },
    );
    // Not gated on the forge: the app shows while the cookie is on its way.
    expect(await screen.findByText('the portal')).toBeInTheDocument();
    await waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    expect(fetch).toHaveBeenCalledWith(
      'http://localhost:7007/api/forge/.backstage/auth/v1/cookie',
      { credentials: 'include' },
    );
    await act(async () =>
      answer(
        new Response(
          JSON.stringify({ expiresAt: new Date(Date.now() + 3600_000) }),
        ),
      ),
    );
    expect(screen.getByText('the portal')).toBeInTheDocument();
    // Unmounting (sign-out) cancels the scheduled refresh.
    unmount();
  });

  it('keeps showing the app when the forge cannot issue the cookie', async () => {
    const fetch = jest.fn(async () => new Response('down', { status: 500 }));
    renderInTestApp(<ForgeCookieRefresh>the portal</ForgeCookieRefresh>, {
      apis: [
        [fetchApiRef, { fetch }],
        [discoveryApiRef, discovery],
      ],
    });
    await waitFor(() => expect(fetch).toHaveBeenCalled());
    await act(async () => {});
    expect(screen.getByText('the portal')).toBeInTheDocument();
  });
});
