import { Suspense } from 'react';
import { githubAuthApiRef } from '@backstage/core-plugin-api';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import App from './App';
import { PavedSignInPage } from './modules/signIn/PavedSignInPage';

describe('App', () => {
  it('starts on the sign-in page offering the guest and the picker in the embedded default', async () => {
    global.fetch = jest.fn(
      async () => new Response(JSON.stringify({ items: [] })),
    ) as any;
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Paved', baseUrl: 'http://localhost:3000' },
            backend: { baseUrl: 'http://localhost:7007' },
            organization: { name: 'Kestrel Logistics' },
            paved: { signIn: { providers: ['picker'] } },
          },
          context: 'test',
        },
      ] as any,
    };
    render(App.createRoot());
    expect(
      await screen.findByText('Guest', undefined, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(screen.getByText('Sign in as a sample user')).toBeInTheDocument();
    expect(screen.queryByText('GitHub')).not.toBeInTheDocument();
  });
});

describe('PavedSignInPage', () => {
  const renderWith = (providers?: string[]) =>
    renderInTestApp(
      <Suspense fallback={null}>
        <PavedSignInPage onSignInSuccess={() => {}} />
      </Suspense>,
      {
        config: {
          app: { title: 'Paved' },
          backend: { baseUrl: 'http://localhost:7007' },
          ...(providers && { paved: { signIn: { providers } } }),
        },
        // Only asked for a session once its button is clicked.
        apis: [[githubAuthApiRef, {}]],
      },
    );

  it('offers only GitHub in production, never the picker', async () => {
    renderWith(['github']);
    expect(await screen.findByText('GitHub')).toBeInTheDocument();
    expect(screen.queryByText('Guest')).not.toBeInTheDocument();
    expect(
      screen.queryByText('Sign in as a sample user'),
    ).not.toBeInTheDocument();
  });

  it('falls back to guest when nothing is configured', async () => {
    renderWith();
    expect(await screen.findByText('Guest')).toBeInTheDocument();
  });
});

describe('PavedSignInPage with the picker (embedded default)', () => {
  const users = [
    {
      userEntityRef: 'user:default/jonas-weber',
      displayName: 'jonas-weber',
      groups: ['group:default/fulfilment'],
    },
    {
      userEntityRef: 'user:default/lena-fischer',
      displayName: 'lena-fischer',
      groups: ['group:default/storefront'],
    },
  ];
  const payload = btoa(JSON.stringify({ exp: Date.now() / 1000 + 3600 }));
  let refreshed: { url: string; headers: Record<string, string> }[];

  /** The backend's answers: the users, and a session for the picked one. */
  function backend(refreshStatus = 200) {
    refreshed = [];
    global.fetch = jest.fn(async (url: any, init?: any) => {
      if (String(url).endsWith('/api/auth/picker/users')) {
        return new Response(JSON.stringify({ items: users }));
      }
      const headers = Object.fromEntries(new Headers(init?.headers));
      refreshed.push({ url: String(url), headers });
      const user = headers['x-paved-picker-user'];
      if (refreshStatus !== 200) {
        return new Response(
          JSON.stringify({
            error: { name: 'NotFoundError', message: `${user} is gone` },
          }),
          { status: refreshStatus },
        );
      }
      return new Response(
        JSON.stringify({
          profile: { displayName: user },
          backstageIdentity: {
            token: `h.${payload}.s`,
            identity: {
              type: 'user',
              userEntityRef: user,
              ownershipEntityRefs: [user],
            },
          },
        }),
      );
    }) as any;
  }

  const renderPicker = (onSignInSuccess: (identity: any) => void) =>
    renderInTestApp(
      <Suspense fallback={null}>
        <PavedSignInPage onSignInSuccess={onSignInSuccess} />
      </Suspense>,
      {
        config: {
          app: { title: 'Paved' },
          backend: { baseUrl: 'http://localhost:7007' },
          paved: { signIn: { providers: ['picker'] } },
        },
        apis: [[githubAuthApiRef, {}]],
      },
    );

  beforeEach(() => localStorage.clear());

  it('lists the sample users with their teams, and the guest', async () => {
    backend();
    renderPicker(() => {});
    expect(await screen.findByText('lena-fischer')).toBeInTheDocument();
    expect(screen.getByText('storefront')).toBeInTheDocument();
    expect(screen.getByText('jonas-weber')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /enter/i })).toBeInTheDocument();
    expect(screen.queryByText('GitHub')).not.toBeInTheDocument();
  });

  it('signs in as the picked user through the picker provider, and forgets the pick on sign-out', async () => {
    backend();
    const onSignInSuccess = jest.fn();
    renderPicker(onSignInSuccess);
    fireEvent.click(
      await screen.findByRole('button', { name: 'Sign in as lena-fischer' }),
    );
    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalled());
    expect(refreshed[0].url).toBe(
      'http://localhost:7007/api/auth/picker/refresh',
    );
    expect(refreshed[0].headers['x-paved-picker-user']).toBe(
      'user:default/lena-fischer',
    );
    const identity = onSignInSuccess.mock.calls[0][0];
    await expect(identity.getBackstageIdentity()).resolves.toMatchObject({
      userEntityRef: 'user:default/lena-fischer',
    });
    expect(localStorage.getItem('paved:signIn:picker')).toBe(
      'user:default/lena-fischer',
    );
    await identity.signOut();
    expect(localStorage.getItem('paved:signIn:picker')).toBeNull();
  });

  it('signs in again silently as the remembered user', async () => {
    backend();
    localStorage.setItem('paved:signIn:picker', 'user:default/jonas-weber');
    const onSignInSuccess = jest.fn();
    renderPicker(onSignInSuccess);
    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalled());
    expect(refreshed[0].headers['x-paved-picker-user']).toBe(
      'user:default/jonas-weber',
    );
  });

  it('offers the picker again, with the reason, when the sign-in fails', async () => {
    backend(404);
    localStorage.setItem('paved:signIn:picker', 'user:default/gone');
    renderPicker(() => {});
    expect(
      await screen.findByText(/user:default\/gone is gone/),
    ).toBeInTheDocument();
    expect(await screen.findByText('lena-fischer')).toBeInTheDocument();
    expect(localStorage.getItem('paved:signIn:picker')).toBeNull();
  });
});
