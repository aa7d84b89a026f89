import { Suspense } from 'react';
import { githubAuthApiRef } from '@backstage/core-plugin-api';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { render, screen } from '@testing-library/react';
import App from './App';
import { PavedSignInPage } from './modules/signIn/PavedSignInPage';

describe('App', () => {
  it('starts on the sign-in page offering guest in the embedded default', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Paved', baseUrl: 'http://localhost:3000' },
            backend: { baseUrl: 'http://localhost:7007' },
            organization: { name: 'Kestrel Logistics' },
            paved: { signIn: { providers: ['guest'] } },
          },
          context: 'test',
        },
      ] as any,
    };
    render(App.createRoot());
    expect(await screen.findByText('Guest')).toBeInTheDocument();
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

  it('offers only GitHub in production', async () => {
    renderWith(['github']);
    expect(await screen.findByText('GitHub')).toBeInTheDocument();
    expect(screen.queryByText('Guest')).not.toBeInTheDocument();
  });

  it('falls back to guest when nothing is configured', async () => {
    renderWith();
    expect(await screen.findByText('Guest')).toBeInTheDocument();
  });
});
