import { SecretRedactor } from './SecretRedactor';

describe('SecretRedactor', () => {
  it('redacts secrets raw, JSON-escaped and URL-encoded, longest first', () => {
    const redactor = SecretRedactor.create(['p@ss"word/1', 'p@ss']);
    expect(
      redactor.redact(
        'a p@ss"word/1 b {"v":"p@ss\\"word/1"} c postgres://u:p%40ss%22word%2F1@h d p@ss',
      ),
    ).toBe('a *** b {"v":"***"} c postgres://u:***@h d ***');
  });

  it('leaves short values alone and takes every leaf of objects', () => {
    const redactor = SecretRedactor.create([
      'abc',
      { key: { nested: ['s3cr3t-leaf'] } },
      12345678,
    ]);
    expect(redactor.redact('abc s3cr3t-leaf 12345678')).toBe('abc *** ***');
    expect(redactor.redactJson({ a: ['x s3cr3t-leaf'], n: 1 })).toEqual({
      a: ['x ***'],
      n: 1,
    });
  });

  it('inherits the secrets of its parent without changing it', () => {
    const parent = SecretRedactor.create(['parent-secret']);
    const child = SecretRedactor.create(['child-secret'], parent);
    expect(child.redact('parent-secret child-secret')).toBe('*** ***');
    expect(parent.redact('parent-secret child-secret')).toBe(
      '*** child-secret',
    );
  });
});
