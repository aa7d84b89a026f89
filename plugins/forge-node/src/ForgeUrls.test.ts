import { ForgeUrls } from './ForgeUrls';

describe('ForgeUrls', () => {
  const urls = ForgeUrls.forBackend('http://localhost:7007/');
  const repo = { owner: 'kestrel', name: 'invoices' };

  it('builds repository, clone and content URLs under /api/forge', () => {
    expect(urls.baseUrl).toBe('http://localhost:7007/api/forge');
    expect(urls.repository(repo)).toBe(
      'http://localhost:7007/api/forge/kestrel/invoices',
    );
    expect(urls.clone(repo)).toBe(
      'http://localhost:7007/api/forge/kestrel/invoices.git',
    );
    expect(urls.view(repo, 'blob', 'feature/x', 'docs/a b.md')).toBe(
      'http://localhost:7007/api/forge/kestrel/invoices/blob/feature/x/docs/a%20b.md',
    );
    expect(urls.view(repo, 'tree', 'main')).toBe(
      'http://localhost:7007/api/forge/kestrel/invoices/tree/main',
    );
  });

  it('parses what it builds', () => {
    expect(urls.parse(urls.view(repo, 'raw', 'main', 'docs/a b.md'))).toEqual({
      ...repo,
      view: 'raw',
      refAndPath: 'main/docs/a b.md',
    });
    expect(urls.parse(urls.repository(repo))).toEqual({
      ...repo,
      view: 'repository',
      refAndPath: '',
    });
    expect(urls.parse(`${urls.repository(repo)}/`)).toEqual({
      ...repo,
      view: 'repository',
      refAndPath: '',
    });
  });

  it('owns only URLs below its base', () => {
    expect(urls.owns('http://LOCALHOST:7007/api/forge/kestrel/x')).toBe(true);
    expect(urls.owns('http://localhost:7007/api/forgery/kestrel/x')).toBe(
      false,
    );
    expect(urls.owns('http://localhost:7008/api/forge/kestrel/x')).toBe(false);
    expect(urls.owns('https://localhost:7007/api/forge/kestrel/x')).toBe(false);
    expect(urls.owns('https://github.com/kestrel/x')).toBe(false);
    expect(urls.owns('not a url')).toBe(false);
    expect(
      urls.parse('http://localhost:7007/api/forge/kestrel/x/commits/main'),
    ).toBeUndefined();
    expect(
      urls.parse('http://localhost:7007/api/forge/kestrel'),
    ).toBeUndefined();
    expect(
      urls.parse('http://localhost:7007/api/forge/kestrel/x/%E0%A4%A'),
    ).toBeUndefined();
  });
});
