#!/usr/bin/env node
/*
 * Compiles each workspace package's config.d.ts into the config.schema.json
 * that its package.json names as `configSchema`, as upstream packages ship it.
 *
 *   node scripts/config-schemas.js          write the files
 *   node scripts/config-schemas.js --check  exit 1 when one is missing or stale
 *
 * Why: @backstage/config-loader compiles a `.d.ts` schema with the TypeScript
 * compiler every time the backend starts (the root logger and the config
 * validation both load the schema). That kept about 300 MB of heap in the
 * production backend; a JSON schema is read as it is. config.d.ts stays the
 * source (and the TypeScript types); this file is derived from it.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const SCHEMA_FILE = 'config.schema.json';

function workspacePackageDirs() {
  const { workspaces } = JSON.parse(
    fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'),
  );
  const dirs = [];
  for (const pattern of workspaces) {
    const base = path.join(ROOT, pattern.replace(/\/\*$/, ''));
    if (!fs.existsSync(base)) continue;
    for (const name of fs.readdirSync(base).sort()) {
      const dir = path.join(base, name);
      if (fs.existsSync(path.join(dir, 'package.json'))) dirs.push(dir);
    }
  }
  return dirs;
}

/**
 * The JSON schema that config-loader compiles from one package's config.d.ts.
 * The compile runs on a copy in a scratch folder inside the package (so type
 * imports still resolve through node_modules), leaving package.json alone.
 */
async function compile(dir, name) {
  const { loadConfigSchema } = require('@backstage/config-loader');
  const scratch = path.join(dir, '.config-schema-build');
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(scratch);
  try {
    fs.copyFileSync(
      path.join(dir, 'config.d.ts'),
      path.join(scratch, 'config.d.ts'),
    );
    fs.writeFileSync(
      path.join(scratch, 'package.json'),
      JSON.stringify({ name, version: '0.0.0', configSchema: 'config.d.ts' }),
    );
    const schema = await loadConfigSchema({
      dependencies: [],
      packagePaths: [path.join(scratch, 'package.json')],
    }).catch(error => {
      throw new Error(`${name}: config.d.ts does not compile: ${error}`);
    });
    const own = schema.serialize().schemas.filter(
      // config-loader reports paths relative to the working directory.
      s => path.resolve(s.path) === path.join(scratch, 'config.d.ts'),
    );
    if (own.length !== 1) {
      throw new Error(
        `${name}: expected one schema compiled from config.d.ts, found ${own.length}`,
      );
    }
    return {
      $schema: 'https://backstage.io/schema/config-v1',
      title: name,
      ...Object.fromEntries(
        Object.entries(own[0].value).filter(([k]) => k !== '$schema'),
      ),
    };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * For every workspace package with a config.d.ts: its package.json must name
 * config.schema.json, and that file must equal what config.d.ts compiles to.
 *
 * @returns problems, one line each (empty when all are current)
 */
async function run({ write }) {
  const problems = [];
  for (const dir of workspacePackageDirs()) {
    if (!fs.existsSync(path.join(dir, 'config.d.ts'))) continue;
    const rel = path.relative(ROOT, dir);
    const pkgFile = path.join(dir, 'package.json');
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
    const expected = `${JSON.stringify(
      await compile(dir, pkg.name),
      null,
      2,
    )}\n`;
    const schemaFile = path.join(dir, SCHEMA_FILE);
    const current = fs.existsSync(schemaFile)
      ? fs.readFileSync(schemaFile, 'utf8')
      : undefined;
    const files = new Set([...(pkg.files ?? []), 'config.d.ts', SCHEMA_FILE]);
    const pkgOk =
      pkg.configSchema === SCHEMA_FILE &&
      (!pkg.files || pkg.files.includes(SCHEMA_FILE));
    // Compared as data: prettier may lay the file out differently.
    const same =
      current !== undefined &&
      JSON.stringify(JSON.parse(current)) ===
        JSON.stringify(JSON.parse(expected));
    if (write) {
      if (!same) fs.writeFileSync(schemaFile, expected);
      if (!pkgOk) {
        const next = { ...pkg, configSchema: SCHEMA_FILE };
        if (pkg.files) next.files = [...files];
        fs.writeFileSync(pkgFile, `${JSON.stringify(next, null, 2)}\n`);
      }
    } else {
      if (!same) {
        problems.push(
          `${rel}/${SCHEMA_FILE} is ${
            current === undefined ? 'missing' : 'stale'
          }: run node scripts/config-schemas.js`,
        );
      }
      if (!pkgOk) {
        problems.push(
          `${rel}/package.json must name "configSchema": "${SCHEMA_FILE}" (and list it in "files"): run node scripts/config-schemas.js`,
        );
      }
    }
  }
  return problems;
}

module.exports = { run, workspacePackageDirs };

if (require.main === module) {
  const check = process.argv.includes('--check');
  run({ write: !check }).then(
    problems => {
      for (const p of problems) process.stderr.write(`${p}\n`);
      process.exit(problems.length ? 1 : 0);
    },
    error => {
      process.stderr.write(`${error.stack ?? error}\n`);
      process.exit(1);
    },
  );
}
