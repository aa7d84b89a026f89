import { minimumDocuments, parseManifests } from './parseManifests';

const limits = { maxBytes: 64 * 1024, maxDocuments: 5 };

const configMap = (name: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
  a: "1"
`;

describe('parseManifests', () => {
  it('reads several documents and skips empty ones', () => {
    const manifests = parseManifests(
      `---\n${configMap('one')}---\n---\n${configMap('two')}`,
      limits,
    );
    expect(manifests.map(m => m.metadata.name)).toEqual(['one', 'two']);
    expect(manifests[0].data).toEqual({ a: '1' });
  });

  it('refuses anchors and aliases, naming the document', () => {
    const text = `${configMap(
      'one',
    )}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: two\ndata: &shared\n  a: "1"\n`;
    expect(() => parseManifests(text, limits)).toThrow(
      'manifests: document 2: YAML anchors (&shared) are not allowed',
    );
  });

  it('refuses an alias bomb without expanding it', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      lines.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n${lines
      .map(l => `  ${l}`)
      .join('\n')}\n`;
    expect(() => parseManifests(bomb, limits)).toThrow(
      /document 1: YAML anchors \(&a\) are not allowed/,
    );
  });

  it('checks the size before parsing', () => {
    const big = `${configMap('big')}  blob: "${'x'.repeat(70 * 1024)}"\n`;
    expect(() => parseManifests(big, limits)).toThrow(
      /^manifests: 71 KiB \(\d+ bytes\) is over the limit of 65536 bytes \(paved.kubernetes.maxManifestBytes\)$/,
    );
  });

  it('bounds the number of documents', () => {
    const many = Array.from({ length: 6 }, (_, i) => configMap(`cm${i}`)).join(
      '---\n',
    );
    expect(() => parseManifests(many, limits)).toThrow(
      'manifests: 6 YAML documents; at most 5 are allowed',
    );
  });

  it.each([
    ['---', '---\n'],
    ['...', '...\n'],
  ])(
    'refuses a megabyte of %s document markers in milliseconds, before parsing them',
    (_, marker) => {
      const flood = marker.repeat((1024 * 1024) / marker.length);
      const started = performance.now();
      expect(() =>
        parseManifests(flood, { maxBytes: 2 * 1024 * 1024, maxDocuments: 50 }),
      ).toThrow(
        'manifests: at least 262144 YAML documents; at most 50 are allowed (paved.kubernetes.maxDocuments)',
      );
      // A correctness bound, not a benchmark: parsing them all takes seconds.
      expect(performance.now() - started).toBeLessThan(200);
    },
  );

  it('counts only markers at the start of a line, not dashes inside a block scalar', () => {
    const notes = `${configMap('notes')}  notes: |\n${'    ---\n'.repeat(10)}`;
    expect(minimumDocuments(notes)).toBe(0);
    expect(parseManifests(notes, limits)).toHaveLength(1);
    expect(minimumDocuments('---\na: 1\n...\n--- \nb: 2\n')).toBe(2);
  });

  it.each([
    [
      '- a\n- b\n',
      'document 1: expected a Kubernetes object (a mapping with apiVersion, kind and metadata.name), got a list',
    ],
    ['apiVersion: v1\nmetadata:\n  name: x\n', 'document 1: kind is missing'],
    [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n',
      'document 1: metadata.name is missing',
    ],
    [
      'apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata:\n  name: x\n',
      'document 1: invalid YAML: Map keys must be unique',
    ],
    [
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: !custom x\n',
      'document 1: the YAML tag !custom is not allowed',
    ],
    [
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  <<: {name: x}\n',
      'document 1: metadata.name is missing',
    ],
  ])(
    'rejects %j with a message naming the document and field',
    (text, message) => {
      expect(() =>
        parseManifests(text, { ...limits, source: 'k8s/app.yaml' }),
      ).toThrow(`k8s/app.yaml: ${message}`);
    },
  );
});
