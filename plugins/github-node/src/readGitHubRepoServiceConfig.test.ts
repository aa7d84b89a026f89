import { ConfigReader } from '@backstage/config';
import { readGitHubRepoServiceConfig } from './readGitHubRepoServiceConfig';
import { startServiceOnTestServer } from './__testUtils__/testService';

describe('readGitHubRepoServiceConfig', () => {
  const allowedOwners = (value: Array<string | number> | string) =>
    readGitHubRepoServiceConfig(
      new ConfigReader({ paved: { github: { allowedOwners: value } } }),
    ).allowedOwners;

  it('allows any owner when allowedOwners is left out, and lowercases the list', () => {
    expect(
      readGitHubRepoServiceConfig(new ConfigReader({})).allowedOwners,
    ).toBeUndefined();
    expect(allowedOwners(['Kestrel', 'kestrel-labs'])).toEqual([
      'kestrel',
      'kestrel-labs',
    ]);
  });

  it('leaves out the empty entry of an unset ${GITHUB_ORG:-}, and a list of none allows none', () => {
    expect(allowedOwners(['kestrel', ''])).toEqual(['kestrel']);
    expect(allowedOwners([''])).toEqual([]);
    expect(allowedOwners([' '])).toEqual([]);
  });

  it('names a bad entry', () => {
    expect(() => allowedOwners(['ok', '-bad-'])).toThrow(
      /^paved\.github\.allowedOwners\[1\]: invalid GitHub owner "-bad-"/,
    );
    expect(() => allowedOwners([3])).toThrow(
      'paved.github.allowedOwners[0]: expected a GitHub owner, got number',
    );
    expect(() => allowedOwners('kestrel')).toThrow(
      'paved.github.allowedOwners: expected a list of GitHub owners',
    );
  });

  it('makes the service refuse every owner, before asking GitHub, when the list names none', async () => {
    const { server, service } = await startServiceOnTestServer({
      paved: { github: { allowedOwners: [''] } },
    });
    try {
      await expect(
        service.createRepository({ owner: 'kestrel', name: 'shop' }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          'owner: Paved may not create or change repositories in "kestrel": paved.github.allowedOwners lists no owner (in production it is GITHUB_ORG, which is not set)',
      });
      expect(server.requests).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
