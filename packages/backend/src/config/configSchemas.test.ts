import path from 'node:path';

// Plain CommonJS, shared with the command line (node scripts/config-schemas.js).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { run } = require(path.resolve(
  __dirname,
  '../../../../scripts/config-schemas.js',
));

describe('config.schema.json files', () => {
  it('match the config.d.ts they are compiled from, in every workspace package', async () => {
    // The backend loads JSON schemas as they are; a .d.ts would be compiled
    // with TypeScript at every start (about 300 MB of heap in production).
    await expect(run({ write: false })).resolves.toEqual([]);
  }, 60_000);
});
