/*
 * node_modules for an unpacked production bundle (packages/backend/dist/bundle.tar.gz),
 * shared by the e2e harness and bench/run.js. Plain CommonJS with no
 * dependencies, so it runs on any Node the bench runs on.
 *
 * The bundle's own workspace packages are linked to their built copies in the
 * bundle (`main` in dist/), as `yarn install` links them in the image; every
 * other package to the repository's node_modules. The repository's own links
 * point at the workspaces' sources (`main: src/index.ts`), which Node cannot load.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

/**
 * Creates `<dir>/node_modules` for the bundle unpacked in `dir`, from the
 * installed packages of the repository at `root`.
 */
function linkBundleNodeModules(dir, root) {
  const workspaces = new Map();
  for (const base of ['packages', 'plugins']) {
    const parent = path.join(dir, base);
    for (const name of fs.existsSync(parent) ? fs.readdirSync(parent) : []) {
      const manifest = path.join(parent, name, 'package.json');
      if (fs.existsSync(manifest)) {
        const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
        workspaces.set(pkg.name, path.join(parent, name));
      }
    }
  }
  const modules = path.join(dir, 'node_modules');
  const link = (name, source) =>
    fs.symlinkSync(workspaces.get(name) ?? source, path.join(modules, name));
  fs.mkdirSync(modules);
  for (const entry of fs.readdirSync(path.join(root, 'node_modules'))) {
    const source = path.join(root, 'node_modules', entry);
    const scoped = [...workspaces.keys()].some(n => n.startsWith(`${entry}/`));
    if (!entry.startsWith('@') || !scoped) {
      link(entry, source);
      continue;
    }
    fs.mkdirSync(path.join(modules, entry));
    for (const name of fs.readdirSync(source)) {
      link(`${entry}/${name}`, path.join(source, name));
    }
  }
}

module.exports = { linkBundleNodeModules };
