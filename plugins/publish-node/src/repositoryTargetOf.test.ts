import { repositoryTargetOf } from './repositoryTargetOf';

describe('repositoryTargetOf', () => {
  it('reads a RepoUrlPicker value', () => {
    expect(repositoryTargetOf('github.com?owner=Kestrel&repo=Shop')).toEqual({
      host: 'github.com',
      owner: 'Kestrel',
      name: 'Shop',
      full: 'Kestrel/Shop',
      key: 'github.com/kestrel/shop',
    });
    expect(repositoryTargetOf('ghe.example.com:8443?owner=k&repo=s').host).toBe(
      'ghe.example.com:8443',
    );
  });

  it.each([
    ['github.com?repo=x', 'repoUrl: "github.com?repo=x" names no owner'],
    ['github.com?owner=k', 'repoUrl: "github.com?owner=k" names no repo'],
    [
      'github.com/k/x?owner=k&repo=x',
      'github.com/k/x?owner=k&repo=x" names no',
    ],
    [
      'a b?owner=k&repo=x',
      'repoUrl: "a b?owner=k&repo=x" is not a repository location',
    ],
  ])('refuses %j, naming the field', (repoUrl, message) => {
    expect(() => repositoryTargetOf(repoUrl)).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringContaining(message),
      }),
    );
  });

  it('names another field when asked', () => {
    expect(() => repositoryTargetOf('x', 'target')).toThrow(/^target: /);
  });
});
