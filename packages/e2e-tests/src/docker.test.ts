/*
 * Checks of docker/ (image, compose, Kubernetes) that need no Docker engine.
 *
 * The Dockerfile is parsed here (instructions, stages, COPY sources) and held
 * against the repository, .dockerignore, the production config and the output
 * of the host build, which is why this suite runs after `yarn build:all`.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { Document, parse as parseYaml, parseAllDocuments } from 'yaml';

const ROOT = path.resolve(__dirname, '../../..');
const DOCKERFILE = path.join(ROOT, 'docker/Dockerfile');
const COMPOSE = path.join(ROOT, 'docker/compose.yaml');
const K8S_DIR = path.join(ROOT, 'docker/kubernetes');
const READINESS = '/.backstage/health/v1/readiness';
const LIVENESS = '/.backstage/health/v1/liveness';
const BUILD_HINT =
  'run the production build first (`yarn build:all` at the repository root), then this test';

// ---------------------------------------------------------------------------
// Dockerfile parsing

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

interface Stage {
  index: number;
  name?: string;
  base: string;
  instructions: Instruction[];
}

interface Dockerfile {
  args: Map<string, string>;
  stages: Stage[];
}

interface Copy {
  flags: Map<string, string>;
  sources: string[];
  dest: string;
  line: number;
}

/** Splits a Dockerfile into instructions: comments dropped, `\` continuations joined. */
function parseInstructions(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let buffer = '';
  let start = 0;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const trimmed = raw.trim();
    // Comment and blank lines are ignored, also inside a continued instruction.
    if (trimmed === '' || trimmed.startsWith('#')) return;
    if (buffer === '') start = i + 1;
    if (trimmed.endsWith('\\')) {
      buffer += `${trimmed.slice(0, -1).trim()} `;
      return;
    }
    buffer += trimmed;
    const match = buffer.match(/^(\S+)\s*([\s\S]*)$/)!;
    instructions.push({
      keyword: match[1].toUpperCase(),
      args: match[2].trim(),
      line: start,
    });
    buffer = '';
  });
  if (buffer !== '') {
    throw new Error(`Dockerfile ends inside a continued instruction`);
  }
  return instructions;
}

function substituteArgs(value: string, args: Map<string, string>): string {
  return value.replace(
    /\$\{(\w+)\}|\$(\w+)/g,
    (whole, braced, bare) => args.get(braced ?? bare) ?? whole,
  );
}

function parseDockerfile(text: string): Dockerfile {
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const instruction of parseInstructions(text)) {
    if (instruction.keyword === 'ARG' && stages.length === 0) {
      const [name, value = ''] = instruction.args.split('=');
      args.set(name.trim(), value.trim().replace(/^"(.*)"$/, '$1'));
    } else if (instruction.keyword === 'FROM') {
      const words = instruction.args
        .split(/\s+/)
        .filter(w => !w.startsWith('--'));
      const asIndex = words.findIndex(w => w.toUpperCase() === 'AS');
      stages.push({
        index: stages.length,
        base: substituteArgs(words[0], args),
        name: asIndex > 0 ? words[asIndex + 1] : undefined,
        instructions: [],
      });
    } else if (stages.length === 0) {
      throw new Error(
        `line ${instruction.line}: ${instruction.keyword} before the first FROM`,
      );
    } else {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return { args, stages };
}

/** Leading `--name=value` flags of COPY, RUN, HEALTHCHECK. */
function splitFlags(args: string): {
  flags: Map<string, string>;
  rest: string;
} {
  const flags = new Map<string, string>();
  let rest = args;
  for (;;) {
    const match = rest.match(/^--([\w-]+)(?:=(\S*))?\s*/);
    if (!match) break;
    flags.set(match[1], match[2] ?? 'true');
    rest = rest.slice(match[0].length);
  }
  return { flags, rest };
}

function parseCopy(instruction: Instruction): Copy {
  const { flags, rest } = splitFlags(instruction.args);
  const words: string[] = rest.startsWith('[')
    ? JSON.parse(rest)
    : rest.split(/\s+/).filter(Boolean);
  if (words.length < 2) {
    throw new Error(`line ${instruction.line}: COPY needs a source and a dest`);
  }
  return {
    flags,
    sources: words.slice(0, -1),
    dest: words[words.length - 1],
    line: instruction.line,
  };
}

/** CMD, ENTRYPOINT and HEALTHCHECK CMD must use the exec (JSON) form. */
function execForm(args: string, what: string): string[] {
  try {
    const parsed = JSON.parse(args);
    if (Array.isArray(parsed) && parsed.every(p => typeof p === 'string')) {
      return parsed;
    }
  } catch {
    // fall through
  }
  throw new Error(`${what} is not in exec form: ${args}`);
}

function copies(stage: Stage): Copy[] {
  return stage.instructions
    .filter(i => i.keyword === 'COPY' || i.keyword === 'ADD')
    .map(parseCopy);
}

function runs(stage: Stage): string[] {
  return stage.instructions
    .filter(i => i.keyword === 'RUN')
    .map(i => splitFlags(i.args).rest);
}

function envOf(stage: Stage): Map<string, string> {
  const env = new Map<string, string>();
  for (const i of stage.instructions.filter(x => x.keyword === 'ENV')) {
    for (const m of i.args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) {
      env.set(m[1], m[2].replace(/^"(.*)"$/, '$1'));
    }
  }
  return env;
}

function workdirOf(stage: Stage): string {
  const dirs = stage.instructions.filter(i => i.keyword === 'WORKDIR');
  return dirs.length ? dirs[dirs.length - 1].args : '/';
}

function lastUser(stage: Stage): string | undefined {
  const users = stage.instructions.filter(i => i.keyword === 'USER');
  return users.length ? users[users.length - 1].args : undefined;
}

/** The stages a stage is built from: its FROM chain (`FROM build AS x`). */
function stageChain(dockerfile: Dockerfile, stage: Stage): Stage[] {
  const parent = dockerfile.stages.find(
    s => s.name === stage.base && s.index < stage.index,
  );
  return parent ? [stage, ...stageChain(dockerfile, parent)] : [stage];
}

// ---------------------------------------------------------------------------
// .dockerignore, with the semantics of moby/patternmatcher

interface IgnoreRule {
  regex: RegExp;
  exclusion: boolean;
}

function patternToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') i++;
        // `**` at the end matches everything, elsewhere any number of dirs.
        out += i + 1 >= pattern.length ? '.*' : '(.*/)?';
      } else {
        out += '[^/]*';
      }
    } else if (ch === '?') {
      out += '[^/]';
    } else if (ch === '[') {
      const end = pattern.indexOf(']', i);
      out += pattern.slice(i, end + 1).replace(/^\[!/, '[^');
      i = end;
    } else {
      out += ch.replace(/[.+^${}()|\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${out}$`);
}

function compileDockerignore(text: string): (file: string) => boolean {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const exclusion = line.startsWith('!');
    if (exclusion) line = line.slice(1).trim();
    line = path.posix.normalize(line).replace(/^\/+/, '').replace(/\/+$/, '');
    if (line === '.' || line === '') continue;
    rules.push({ regex: patternToRegExp(line), exclusion });
  }
  return (file: string) => {
    // normalize() drops a leading `./`; `.` itself is the whole context.
    const clean = path.posix.normalize(file);
    if (clean === '.') return false;
    const parts = clean.split('/');
    let ignored = false;
    for (const rule of rules) {
      // A pattern that matches a parent directory matches the file too.
      let matched = false;
      for (let n = parts.length; n > 0 && !matched; n--) {
        matched = rule.regex.test(parts.slice(0, n).join('/'));
      }
      if (matched) ignored = !rule.exclusion;
    }
    return ignored;
  };
}

// ---------------------------------------------------------------------------
// The build context as the Dockerfile sees it

const isIgnored = compileDockerignore(
  fs.existsSync(path.join(ROOT, '.dockerignore'))
    ? fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
    : '',
);

function globSegmentToRegExp(segment: string): RegExp {
  return patternToRegExp(segment);
}

/** Expands a COPY source (filepath.Match wildcards) against the context. */
function expandSource(source: string): string[] {
  const clean = path.posix.normalize(source).replace(/^\/+/, '');
  if (clean === '.' || clean === '') return ['.'];
  let candidates = [''];
  for (const segment of clean.split('/')) {
    const next: string[] = [];
    for (const base of candidates) {
      if (/[*?[]/.test(segment)) {
        const dir = path.join(ROOT, base);
        if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) continue;
        const regex = globSegmentToRegExp(segment);
        for (const entry of fs.readdirSync(dir).sort()) {
          if (regex.test(entry)) next.push(path.posix.join(base, entry));
        }
      } else if (fs.existsSync(path.join(ROOT, base, segment))) {
        next.push(path.posix.join(base, segment));
      }
    }
    candidates = next;
  }
  return candidates.filter(c => !isIgnored(c));
}

/** Files under a context path that are in the context, relative to ROOT. */
function contextFiles(rel: string): string[] {
  const abs = path.join(ROOT, rel);
  if (!fs.statSync(abs).isDirectory()) return isIgnored(rel) ? [] : [rel];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), {
      withFileTypes: true,
    })) {
      const child = dir === '.' ? entry.name : `${dir}/${entry.name}`;
      if (isIgnored(child)) continue;
      if (entry.isDirectory()) walk(child);
      else out.push(child);
    }
  };
  walk(rel);
  return out;
}

/** Image path -> context path, for the COPYs of a stage from the context. */
function imageFilesFromContext(stage: Stage): Map<string, string> {
  const files = new Map<string, string>();
  const workdir = workdirOf(stage);
  for (const copy of copies(stage).filter(c => !c.flags.has('from'))) {
    const dest = path.posix.resolve(workdir, copy.dest);
    const intoDir =
      copy.dest.endsWith('/') ||
      copy.sources.length > 1 ||
      copy.sources.some(s => /[*?[]/.test(s));
    for (const source of copy.sources.flatMap(expandSource)) {
      const isDir = fs.statSync(path.join(ROOT, source)).isDirectory();
      for (const file of contextFiles(source)) {
        // A directory's contents are copied into dest, not the directory.
        let target = dest;
        if (isDir) {
          target = path.posix.join(dest, path.posix.relative(source, file));
        } else if (intoDir) {
          target = path.posix.join(dest, path.posix.basename(file));
        }
        files.set(target, file);
      }
    }
  }
  return files;
}

// ---------------------------------------------------------------------------
// Helpers for YAML, config and tarballs

function readYamlDocuments(file: string): any[] {
  const list = Array.from(
    parseAllDocuments(fs.readFileSync(file, 'utf8')) as Iterable<Document>,
  );
  const errors = list.flatMap(d => d.errors.map(e => `${file}: ${e.message}`));
  if (errors.length > 0) throw new Error(errors.join('\n'));
  return list.map(d => d.toJS()).filter(d => d !== null && d !== undefined);
}

function k8sDocs(file: string): any[] {
  return readYamlDocuments(path.join(K8S_DIR, file));
}

function findKind(kind: string, files: string[]): any {
  const found = files.flatMap(k8sDocs).filter(d => d.kind === kind);
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${kind}, found ${found.length}`);
  }
  return found[0];
}

/**
 * How config-loader treats a reference: `${VAR}` is required, `${VAR:-}` is
 * optional (the key is dropped when unset), `${VAR:-value}` has a default.
 */
interface ConfigVar {
  name: string;
  kind: 'required' | 'optional' | 'defaulted';
}

/** The `${...}` references in the values of a config file. */
function configVars(file: string): ConfigVar[] {
  const vars = new Map<string, ConfigVar>();
  const rank = { required: 0, optional: 1, defaulted: 2 };
  const visit = (value: unknown) => {
    if (typeof value === 'string') {
      for (const part of value.split(/(\$?\$\{[^{}]*\})/)) {
        // `$${X}` is an escaped literal.
        if (!part.startsWith('${')) continue;
        const body = part.slice(2, -1);
        const sep = body.indexOf(':-');
        const name = (sep >= 0 ? body.slice(0, sep) : body).trim();
        let kind: ConfigVar['kind'] = 'required';
        if (sep >= 0) {
          kind = body.slice(sep + 2).trim() === '' ? 'optional' : 'defaulted';
        }
        const known = vars.get(name);
        // The strictest use of a variable decides.
        if (!known || rank[kind] < rank[known.kind])
          vars.set(name, { name, kind });
      }
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value && typeof value === 'object') {
      Object.values(value).forEach(visit);
    }
  };
  visit(parseYaml(fs.readFileSync(path.join(ROOT, file), 'utf8')));
  return [...vars.values()];
}

/**
 * The variables the deployment must provide: every one the production config
 * uses, and the required ones of the other config files the image loads.
 */
function neededVars(
  configFiles: string[],
  imageEnv: Map<string, string>,
): Array<ConfigVar & { file: string }> {
  return configFiles.flatMap(file =>
    configVars(file)
      .filter(
        v => file === 'app-config.production.yaml' || v.kind === 'required',
      )
      .filter(v => !imageEnv.has(v.name))
      .map(v => ({ ...v, file })),
  );
}

/** Entry names of a .tar.gz (ustar, GNU long names and pax paths). */
function tarEntries(file: string): Set<string> {
  const buf = zlib.gunzipSync(fs.readFileSync(file));
  const names = new Set<string>();
  const str = (start: number, length: number) =>
    buf
      .subarray(start, start + length)
      .toString('utf8')
      .replace(/\0[\s\S]*$/, '');
  let offset = 0;
  let pending: string | undefined;
  while (offset + 512 <= buf.length) {
    if (buf.subarray(offset, offset + 512).every(b => b === 0)) break;
    const size = parseInt(str(offset + 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(buf[offset + 156]);
    const body = buf.subarray(offset + 512, offset + 512 + size);
    if (type === 'L') {
      pending = body.toString('utf8').replace(/\0[\s\S]*$/, '');
    } else if (type === 'g') {
      // pax global header, no entry
    } else if (type === 'x') {
      const pathRecord = body.toString('utf8').match(/^\d+ path=(.*)$/m);
      if (pathRecord) pending = pathRecord[1];
    } else {
      const prefix = str(offset + 345, 155);
      const name = pending ?? (prefix ? `${prefix}/` : '') + str(offset, 100);
      names.add(name.replace(/^\.\//, ''));
      pending = undefined;
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}

function workspaceDirs(): string[] {
  const rootPkg = JSON.parse(
    fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'),
  );
  const globs: string[] = rootPkg.workspaces?.packages ?? rootPkg.workspaces;
  return globs
    .flatMap(g => expandSource(g))
    .filter(d => fs.existsSync(path.join(ROOT, d, 'package.json')));
}

// ---------------------------------------------------------------------------

const dockerfile = parseDockerfile(fs.readFileSync(DOCKERFILE, 'utf8'));
const finalStage = dockerfile.stages[dockerfile.stages.length - 1];
const stageByName = (name: string) => {
  const stage = dockerfile.stages.find(s => s.name === name);
  if (!stage) throw new Error(`Dockerfile has no stage named ${name}`);
  return stage;
};
const imageFiles = imageFilesFromContext(finalStage);
const cmd = execForm(
  finalStage.instructions.filter(i => i.keyword === 'CMD').pop()?.args ?? '',
  'CMD',
);
const configFiles = cmd.flatMap((arg, i) =>
  cmd[i - 1] === '--config' ? [arg] : [],
);

describe('the .dockerignore matcher', () => {
  it('follows the Docker semantics it relies on', () => {
    const ignored = compileDockerignore(
      '**/node_modules\npackages/*/dist\n*.local.yaml\n.yarn/*\n!.yarn/releases\n',
    );
    expect(ignored('node_modules/x/index.js')).toBe(true);
    expect(ignored('packages/app/node_modules/y')).toBe(true);
    expect(ignored('packages/app/dist/index.html')).toBe(true);
    expect(ignored('packages/app/src/dist/x.ts')).toBe(false);
    expect(ignored('app-config.local.yaml')).toBe(true);
    expect(ignored('packages/app/app-config.local.yaml')).toBe(false);
    expect(ignored('.yarn/install-state.gz')).toBe(true);
    expect(ignored('.yarn/releases/yarn.cjs')).toBe(false);
  });
});

describe('docker/Dockerfile', () => {
  it('is a multi-stage build on one Node 22 base with the expected stages', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(3);
    const names = dockerfile.stages.map(s => s.name);
    expect(names).toEqual(expect.arrayContaining(['packages', 'build']));
    for (const stage of dockerfile.stages.slice(0, -1)) {
      expect(stage.name).toMatch(/^[a-z][\w-]*$/);
    }
    // Native modules are compiled in one stage and loaded in another: same base.
    const bases = dockerfile.stages.map(
      s => stageChain(dockerfile, s).pop()!.base,
    );
    expect(new Set(bases)).toEqual(new Set(['node:22-bookworm-slim']));
  });

  it('builds with the toolchain, the immutable lockfile and the repository yarn', () => {
    const build = stageByName('build');
    const chain = stageChain(dockerfile, build);
    const allRuns = chain.flatMap(runs).join('\n');
    for (const pkg of ['python3', 'g++', 'make', 'libsqlite3-dev']) {
      expect(allRuns).toMatch(
        new RegExp(`apt-get install[^\\n]*${pkg.replace('+', '\\+')}`),
      );
    }
    expect(runs(build).join('\n')).toMatch(/yarn install --immutable/);
    expect(runs(build).join('\n')).toMatch(/yarn tsc/);
    expect(runs(build).join('\n')).toMatch(/yarn build:(backend|all)/);
    // BuildKit cache mount for the yarn cache.
    const install = build.instructions.find(
      i => i.keyword === 'RUN' && /yarn install/.test(i.args),
    )!;
    expect(splitFlags(install.args).flags.get('mount')).toMatch(/type=cache/);

    const sources = copies(build)
      .filter(c => !c.flags.has('from'))
      .flatMap(c => c.sources);
    for (const needed of [
      '.yarn',
      '.yarnrc.yml',
      'yarn.lock',
      'package.json',
      'backstage.json',
    ]) {
      expect(sources).toContain(needed);
    }
    // `yarn` of the Node image hands over to yarnPath, which must be in the context.
    const yarnPath = parseYaml(
      fs.readFileSync(path.join(ROOT, '.yarnrc.yml'), 'utf8'),
    ).yarnPath as string;
    expect(fs.existsSync(path.join(ROOT, yarnPath))).toBe(true);
    expect(isIgnored(yarnPath)).toBe(false);
  });

  it('COPYs from the context only files that exist and are not dockerignored', () => {
    const problems: string[] = [];
    for (const stage of dockerfile.stages) {
      for (const copy of copies(stage).filter(c => !c.flags.has('from'))) {
        for (const source of copy.sources) {
          const matches = expandSource(source);
          if (matches.length === 0) {
            problems.push(
              `line ${copy.line}: ${source} is missing or excluded by .dockerignore`,
            );
          }
          for (const match of matches) {
            if (contextFiles(match).length === 0) {
              problems.push(
                `line ${copy.line}: ${match} has no file in the context`,
              );
            }
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps every build input in the context for `COPY . .`', () => {
    const inputs = [
      'tsconfig.json',
      'package.json',
      'yarn.lock',
      'backstage.json',
    ];
    for (const dir of workspaceDirs()) {
      inputs.push(`${dir}/package.json`);
      for (const sub of ['src', 'public', 'config.d.ts']) {
        if (fs.existsSync(path.join(ROOT, dir, sub)))
          inputs.push(`${dir}/${sub}`);
      }
    }
    expect(workspaceDirs()).toEqual(
      expect.arrayContaining(['packages/app', 'packages/backend']),
    );
    const excluded = inputs.filter(
      i =>
        isIgnored(i) ||
        (fs.statSync(path.join(ROOT, i)).isDirectory() &&
          contextFiles(i).length === 0),
    );
    expect(excluded).toEqual([]);
    expect(isIgnored('node_modules')).toBe(true);
    expect(isIgnored('packages/backend/node_modules/x')).toBe(true);
    expect(isIgnored('packages/backend/dist/bundle.tar.gz')).toBe(true);
    expect(isIgnored('.git/HEAD')).toBe(true);
  });

  it('refers with COPY --from only to stages defined before', () => {
    for (const stage of dockerfile.stages) {
      for (const copy of copies(stage).filter(c => c.flags.has('from'))) {
        const from = copy.flags.get('from')!;
        const source = dockerfile.stages.find(
          s => s.name === from || String(s.index) === from,
        );
        expect({ line: copy.line, from, defined: !!source }).toEqual({
          line: copy.line,
          from,
          defined: true,
        });
        expect(source!.index).toBeLessThan(stage.index);
      }
    }
  });

  it('ships production dependencies only, installed from the build skeleton', () => {
    const isProdInstall = (s: Stage) =>
      runs(s).some(r => /yarn workspaces focus --all --production/.test(r));
    const feeding = copies(finalStage)
      .filter(c => c.flags.has('from'))
      .map(c => ({ copy: c, stage: stageByName(c.flags.get('from')!) }));
    const prodStage = isProdInstall(finalStage)
      ? finalStage
      : feeding.find(f => isProdInstall(f.stage))?.stage;
    expect(prodStage).toBeDefined();
    expect(envOf(prodStage!).get('NODE_ENV')).toBe('production');
    // The install works from the skeleton extracted in the build stage.
    expect(
      copies(prodStage!).some(
        c =>
          c.flags.get('from') === 'build' &&
          c.sources.some(s => /skeleton/.test(s)),
      ),
    ).toBe(true);
    // Nothing from the build stage but the bundle: its node_modules has dev dependencies.
    for (const { copy } of feeding.filter(f => f.stage.name === 'build')) {
      for (const source of copy.sources) {
        expect(source).toMatch(/^\/app\/packages\/[\w-]+\/dist\/bundle\/?$/);
      }
    }
    expect(runs(finalStage).join('\n')).not.toMatch(/yarn install/);
  });

  it('runs as a non-root user on port 7007 with a readiness HEALTHCHECK', () => {
    expect(envOf(finalStage).get('NODE_ENV')).toBe('production');
    const user = lastUser(finalStage);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    const exposed = finalStage.instructions
      .filter(i => i.keyword === 'EXPOSE')
      .flatMap(i => i.args.split(/\s+/));
    expect(exposed).toContain('7007');

    const healthcheck = finalStage.instructions.find(
      i => i.keyword === 'HEALTHCHECK',
    );
    expect(healthcheck).toBeDefined();
    const probe = splitFlags(healthcheck!.args).rest;
    expect(probe).toMatch(/^CMD /);
    const probeCmd = execForm(probe.slice(4), 'HEALTHCHECK');
    expect(probeCmd[0]).toBe('node'); // no curl or wget in the slim image
    expect(probeCmd.join(' ')).toContain(`:7007${READINESS}`);

    // tini as PID 1: reaps child processes, forwards signals.
    const entrypoint = finalStage.instructions.find(
      i => i.keyword === 'ENTRYPOINT',
    );
    expect(execForm(entrypoint?.args ?? '', 'ENTRYPOINT')[0]).toMatch(/tini$/);
    expect(runs(finalStage).join('\n')).toMatch(
      /apt-get install[^\n]*\btini\b/,
    );
  });

  it('builds TechDocs in the container: local builder and mkdocs-techdocs-core pinned in a venv on PATH', () => {
    const readConfig = (file: string) =>
      parseYaml(fs.readFileSync(path.join(ROOT, file), 'utf8'));
    const base = readConfig('app-config.yaml').techdocs;
    const prod = readConfig('app-config.production.yaml').techdocs;
    // Not `external`: nothing else builds or publishes a component's docs.
    expect(prod?.builder).toBe('local');
    expect(prod?.generator?.runIn).toBe('local');
    expect(prod?.publisher?.type ?? base?.publisher?.type).toBe('local');
    const publishDirectory =
      prod?.publisher?.local?.publishDirectory ??
      base?.publisher?.local?.publishDirectory;
    expect(publishDirectory).toMatch(/^\$\{PAVED_DATA_DIR[:}]/);

    // The generator runs `mkdocs` from PATH (plugin-techdocs-node, runIn
    // local): the venv's bin comes first, and it holds techdocs-core.
    const script = runs(finalStage).join('\n');
    expect(script).toMatch(/apt-get install[^\n]*\bpython3-venv\b/);
    const install = script.match(
      /python3 -m venv (\S+)[^\n]*\1\/bin\/pip install [^\n]*\bmkdocs-techdocs-core==(\d+\.\d+\.\d+)(?![\w.*])/,
    );
    expect(install).not.toBeNull();
    const [, venv] = install!;
    const env = envOf(finalStage);
    expect(env.get('PATH')?.split(':')[0]).toBe(`${venv}/bin`);

    // The user the backend runs as may write where the docs are published.
    expect(lastUser(finalStage)).toBe('node');
    expect(env.get('PAVED_DATA_DIR')).toMatch(/^\//);
    expect(script).toMatch(/chown node(:node)? "?\$\{?PAVED_DATA_DIR\b/);
  });

  it('starts the backend bundle with both config files, which are in the image', () => {
    expect(cmd.slice(0, 2)).toEqual(['node', 'packages/backend']);
    expect(configFiles).toEqual([
      'app-config.yaml',
      'app-config.production.yaml',
    ]);
    const workdir = workdirOf(finalStage);
    expect(workdir).toBe('/app');
    for (const file of configFiles) {
      expect(imageFiles.get(path.posix.join(workdir, file))).toBe(file);
    }
    expect(
      [...imageFiles.keys()].filter(f => /\.local\.yaml$/.test(f)),
    ).toEqual([]);
  });

  it('contains every catalogue file the production config registers', () => {
    const config = parseYaml(
      fs.readFileSync(path.join(ROOT, 'app-config.production.yaml'), 'utf8'),
    );
    const locations: any[] = config?.catalog?.locations ?? [];
    const globs = locations
      .filter(l => l.type === 'file')
      .map(l => path.posix.resolve('/app', l.target));
    // A glob target (templates/*/template.yaml) is every image file it matches.
    const matcher = (glob: string) =>
      new RegExp(
        `^${glob
          .split('*')
          .map(p => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('[^/]*')}$`,
      );
    const fileTargets = globs.flatMap(g =>
      g.includes('*')
        ? [...imageFiles.keys()].filter(f => matcher(g).test(f))
        : [g],
    );
    expect(fileTargets.length).toBeGreaterThan(globs.length);

    // Follow Location entities, as the catalogue does, to every file they name.
    const missing: string[] = [];
    const seen = new Set<string>();
    const queue = [...fileTargets];
    while (queue.length > 0) {
      const target = queue.shift()!;
      if (seen.has(target)) continue;
      seen.add(target);
      const source = imageFiles.get(target);
      if (!source) {
        missing.push(target);
        continue;
      }
      for (const doc of readYamlDocuments(path.join(ROOT, source))) {
        if (doc?.kind !== 'Location') continue;
        const targets = [doc.spec?.target, ...(doc.spec?.targets ?? [])];
        for (const t of targets.filter(Boolean)) {
          if (doc.spec?.type && doc.spec.type !== 'file') continue;
          if (/^[a-z]+:/i.test(t)) continue;
          queue.push(path.posix.resolve(path.posix.dirname(target), t));
        }
      }
    }
    expect(missing).toEqual([]);
    expect(seen.size).toBeGreaterThan(globs.length);
  });
});

describe('the host build the image relies on', () => {
  const artefacts = [
    ...new Set(
      dockerfile.stages
        .flatMap(s => s.instructions)
        .flatMap(
          i => i.args.match(/packages\/[\w-]+\/dist\/[\w.-]+\.tar\.gz/g) ?? [],
        ),
    ),
  ].sort();

  function requireBuilt(files: string[]) {
    const missing = files.filter(f => !fs.existsSync(path.join(ROOT, f)));
    if (missing.length > 0) {
      throw new Error(
        `Missing build output ${missing.join(', ')}: ${BUILD_HINT}`,
      );
    }
  }

  it('is what the build stage unpacks: the backend skeleton and bundle', () => {
    expect(artefacts).toEqual([
      'packages/backend/dist/bundle.tar.gz',
      'packages/backend/dist/skeleton.tar.gz',
    ]);
    requireBuilt(artefacts);
  });

  it('produces a skeleton of the backend and the app it serves', () => {
    requireBuilt(['packages/backend/dist/skeleton.tar.gz']);
    const skeleton = tarEntries(
      path.join(ROOT, 'packages/backend/dist/skeleton.tar.gz'),
    );
    expect([...skeleton].sort()).toEqual(
      expect.arrayContaining([
        'packages/app/package.json',
        'packages/backend/package.json',
      ]),
    );
    // Only package.json files: the production install must not see sources.
    expect(
      [...skeleton].filter(
        e => !e.endsWith('/') && !e.endsWith('package.json'),
      ),
    ).toEqual([]);
  });

  it('produces a bundle with the backend entry point and the built frontend', () => {
    requireBuilt(['packages/backend/dist/bundle.tar.gz']);
    const bundle = tarEntries(
      path.join(ROOT, 'packages/backend/dist/bundle.tar.gz'),
    );
    const backendPkg = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'packages/backend/package.json'), 'utf8'),
    );
    const main = path.posix.join('packages/backend', backendPkg.main);
    expect(bundle.has('packages/backend/package.json')).toBe(true);
    expect(bundle.has(main)).toBe(true);
    // plugin-app-backend injects the config into index.html.tmpl in memory;
    // without it, it would write into the read-only image.
    expect(bundle.has('packages/app/dist/index.html.tmpl')).toBe(true);
    expect(
      [...bundle].some(e => /^packages\/app\/dist\/static\/.+\.js$/.test(e)),
    ).toBe(true);
  });

  it("carries every plugin's knex migrations, which the image has nowhere else", () => {
    requireBuilt(['packages/backend/dist/bundle.tar.gz']);
    const bundle = tarEntries(
      path.join(ROOT, 'packages/backend/dist/bundle.tar.gz'),
    );
    const withMigrations = fs
      .readdirSync(path.join(ROOT, 'plugins'))
      .filter(p => fs.existsSync(path.join(ROOT, 'plugins', p, 'migrations')));
    expect(withMigrations).toEqual(
      expect.arrayContaining(['github-node', 'terraform-node']),
    );
    for (const plugin of withMigrations) {
      const files = fs.readdirSync(
        path.join(ROOT, 'plugins', plugin, 'migrations'),
      );
      expect({
        plugin,
        inBundle: files.filter(f =>
          bundle.has(`plugins/${plugin}/migrations/${f}`),
        ),
      }).toEqual({ plugin, inBundle: files });
    }
  });
});

describe('docker/compose.yaml', () => {
  const [compose] = readYamlDocuments(COMPOSE);

  it('runs PostgreSQL with a health check and starts Paved once it is healthy', () => {
    const postgres = compose.services.postgres;
    expect(postgres.image).toMatch(/^postgres:15/);
    expect(JSON.stringify(postgres.healthcheck.test)).toMatch(/pg_isready/);
    expect(postgres.volumes.join(' ')).toMatch(
      /:\/var\/lib\/postgresql\/data$/,
    );
    const volumeName = postgres.volumes[0].split(':')[0];
    expect(Object.keys(compose.volumes)).toContain(volumeName);

    const paved = compose.services.paved;
    expect(paved.depends_on.postgres.condition).toBe('service_healthy');
    expect(paved.environment.POSTGRES_HOST).toBe('postgres');
    expect(paved.ports.map(String)).toContain('7007:7007');
  });

  it('builds docker/Dockerfile from the repository root', () => {
    const { build } = compose.services.paved;
    const context = path.resolve(path.dirname(COMPOSE), build.context);
    expect(context).toBe(ROOT);
    expect(path.resolve(context, build.dockerfile)).toBe(DOCKERFILE);
  });

  it('provides every variable the config needs, requiring the secrets', () => {
    const env: Record<string, unknown> = compose.services.paved.environment;
    const needed = neededVars(configFiles, envOf(finalStage));
    expect(needed.map(v => v.name)).toEqual(
      expect.arrayContaining(['POSTGRES_HOST', 'POSTGRES_PASSWORD']),
    );
    const missing = needed
      .filter(v => !(v.name in env))
      .map(v => `${v.name} (${v.file})`);
    expect(missing).toEqual([]);
    // A required variable is never silently empty: a fixed value,
    // ${VAR:?message} or ${VAR:-non-empty default}.
    const notEnforced = needed
      .filter(v => v.kind === 'required')
      .filter(v => {
        const value = String(env[v.name] ?? '');
        return (
          value === '' ||
          (/^\$\{/.test(value) && !/^\$\{\w+:[?-].+\}$/.test(value))
        );
      })
      .map(v => v.name);
    expect(notEnforced).toEqual([]);
    for (const secret of [
      'POSTGRES_PASSWORD',
      'BACKEND_SECRET',
      'AUTH_GITHUB_CLIENT_SECRET',
    ]) {
      expect(String(env[secret])).toMatch(
        new RegExp(`^\\$\\{${secret}:\\?.+\\}$`),
      );
    }
  });
});

describe('docker/kubernetes', () => {
  const manifests = fs
    .readdirSync(K8S_DIR)
    .filter(f => /\.ya?ml$/.test(f))
    .sort();
  const [kustomization] = k8sDocs('kustomization.yaml');
  const resources: string[] = kustomization.resources;
  const deployment = findKind('Deployment', resources);
  const podSpec = deployment.spec.template.spec;
  const container = podSpec.containers.find((c: any) => c.name === 'paved');
  const podLabels = deployment.spec.template.metadata.labels;

  it('parses as YAML, every file', () => {
    expect(manifests.length).toBeGreaterThanOrEqual(8);
    for (const file of manifests) {
      const docs = k8sDocs(file);
      expect(docs.length).toBeGreaterThan(0);
      for (const doc of docs) {
        expect(typeof doc.apiVersion).toBe('string');
        expect(typeof doc.kind).toBe('string');
      }
    }
  });

  it('lists in the kustomization every manifest but the examples', () => {
    for (const resource of resources) {
      expect(fs.existsSync(path.join(K8S_DIR, resource))).toBe(true);
    }
    const expected = manifests.filter(
      f => f !== 'kustomization.yaml' && !f.endsWith('.example.yaml'),
    );
    expect([...resources].sort()).toEqual(expected);
    expect(resources).not.toContain('secret.example.yaml');
    expect(kustomization.namespace).toBe('paved');
    expect(findKind('Namespace', resources).metadata.name).toBe('paved');
  });

  it('runs several replicas of the image on port 7007 named http', () => {
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(container.ports).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'http', containerPort: 7007 }),
      ]),
    );
    const image = kustomization.images?.find(
      (i: any) => i.name === container.image.split(':')[0],
    );
    expect(image).toBeDefined();
    for (const [k, v] of Object.entries(podLabels)) {
      expect(deployment.spec.selector.matchLabels[k]).toBe(v);
    }
  });

  it('probes readiness, liveness and startup on the health endpoints', () => {
    const httpGet = (probe: any) => ({
      path: probe?.httpGet?.path,
      port: probe?.httpGet?.port,
    });
    expect(httpGet(container.readinessProbe)).toEqual({
      path: READINESS,
      port: 'http',
    });
    expect(httpGet(container.livenessProbe)).toEqual({
      path: LIVENESS,
      port: 'http',
    });
    expect(httpGet(container.startupProbe).port).toBe('http');
    expect([READINESS, LIVENESS]).toContain(
      httpGet(container.startupProbe).path,
    );
    // Time for the first start's migrations: at least 5 minutes.
    const { periodSeconds = 10, failureThreshold = 3 } = container.startupProbe;
    expect(periodSeconds * failureThreshold).toBeGreaterThanOrEqual(300);
  });

  it('runs locked down: non-root, read-only root filesystem, no privileges', () => {
    const pod = podSpec.securityContext;
    const ctr = container.securityContext;
    expect(pod.runAsNonRoot ?? ctr.runAsNonRoot).toBe(true);
    expect(ctr.runAsUser ?? pod.runAsUser).toBe(1000);
    expect((ctr.seccompProfile ?? pod.seccompProfile).type).toBe(
      'RuntimeDefault',
    );
    expect(ctr.allowPrivilegeEscalation).toBe(false);
    expect(ctr.readOnlyRootFilesystem).toBe(true);
    expect(ctr.capabilities.drop).toEqual(['ALL']);
    // The writable places: /tmp and the image's PAVED_DATA_DIR, both emptyDirs.
    const emptyDirs = new Set(
      podSpec.volumes.filter((v: any) => v.emptyDir).map((v: any) => v.name),
    );
    const writable = container.volumeMounts
      .filter((m: any) => emptyDirs.has(m.name))
      .map((m: any) => m.mountPath);
    expect(writable).toEqual(
      expect.arrayContaining(['/tmp', envOf(finalStage).get('PAVED_DATA_DIR')]),
    );
    for (const kind of ['requests', 'limits']) {
      expect(container.resources[kind].cpu).toBeDefined();
      expect(container.resources[kind].memory).toBeDefined();
    }
  });

  it('has a Service to the http port and a PodDisruptionBudget', () => {
    const service = findKind('Service', resources);
    expect(service.spec.ports).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ port: 80, targetPort: 'http' }),
      ]),
    );
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    const pdb = findKind('PodDisruptionBudget', resources);
    expect(pdb.spec.minAvailable).toBe(1);
    expect(pdb.spec.selector.matchLabels).toEqual(
      deployment.spec.selector.matchLabels,
    );
    expect(findKind('ServiceAccount', resources).metadata.name).toBe(
      podSpec.serviceAccountName,
    );
  });

  it('provides every variable the config needs from the ConfigMap and Secret', () => {
    const configMap = findKind('ConfigMap', resources);
    const secret = findKind('Secret', ['secret.example.yaml']);
    const refs = (container.envFrom ?? []).map(
      (e: any) => e.configMapRef?.name ?? e.secretRef?.name,
    );
    expect(refs).toEqual(
      expect.arrayContaining([configMap.metadata.name, secret.metadata.name]),
    );
    const provided = new Set<string>([
      ...Object.keys(configMap.data ?? {}),
      ...Object.keys(secret.stringData ?? {}),
      ...(container.env ?? []).map((e: any) => e.name),
      ...envOf(finalStage).keys(),
    ]);
    const missing = neededVars(configFiles, envOf(finalStage))
      .filter(v => !provided.has(v.name))
      .map(v => `${v.name} (${v.file})`);
    expect(missing).toEqual([]);
    // Secrets go in the Secret, not the ConfigMap.
    const inConfigMap = Object.keys(configMap.data ?? {}).filter(k =>
      /PASSWORD|SECRET|TOKEN/.test(k),
    );
    expect(inConfigMap).toEqual([]);
  });

  it('ships only placeholder secrets', () => {
    const secret = findKind('Secret', ['secret.example.yaml']);
    expect(secret.data).toBeUndefined();
    const sensitive = Object.entries<string>(secret.stringData).filter(
      ([key]) => /PASSWORD|SECRET|TOKEN|CLIENT_ID/.test(key),
    );
    expect(sensitive.length).toBeGreaterThanOrEqual(4);
    const real = sensitive.filter(
      ([, value]) => !value.startsWith('change-me'),
    );
    expect(real).toEqual([]);
  });
});

describe('docker/kubernetes-in-cluster', () => {
  const dir = path.join(ROOT, 'docker/kubernetes-in-cluster');
  const docs = (file: string) => readYamlDocuments(path.join(dir, file));
  const [overlay] = docs('kustomization.yaml');
  const [patch] = docs(overlay.patches[0].path);
  const rbac = docs('rbac.yaml');
  const role = (name: string) =>
    rbac.find(d => d.kind === 'ClusterRole' && d.metadata.name === name);
  const appConfig = parseYaml(
    fs.readFileSync(path.join(ROOT, 'app-config.yaml'), 'utf8'),
  );
  const grants = (
    name: string,
    group: string,
    resource: string,
    verbs: string[],
  ) =>
    verbs.every(verb =>
      role(name).rules.some(
        (r: any) =>
          r.apiGroups.includes(group) &&
          r.resources.includes(resource) &&
          r.verbs.includes(verb) &&
          !r.resourceNames,
      ),
    );

  it('is an overlay of docker/kubernetes, whose manifests stay without a token or RBAC', () => {
    expect(overlay.resources).toEqual(['../kubernetes', 'rbac.yaml']);
    expect(overlay.namespace).toBe('paved');
    for (const file of [
      ...overlay.configMapGenerator.flatMap((g: any) => g.files),
      ...overlay.patches.map((p: any) => p.path),
    ]) {
      expect(fs.existsSync(path.join(dir, file))).toBe(true);
    }
    // The default: no API token in the pods, no RBAC objects.
    const [kustomization] = k8sDocs('kustomization.yaml');
    const base = (kustomization.resources as string[]).flatMap(k8sDocs);
    expect(findKind('ServiceAccount', kustomization.resources)).toMatchObject({
      automountServiceAccountToken: false,
    });
    expect(
      findKind('Deployment', kustomization.resources).spec.template.spec
        .automountServiceAccountToken,
    ).toBe(false);
    expect(
      base.filter(d => /Role(Binding)?$/.test(d.kind)).map(d => d.kind),
    ).toEqual([]);
  });

  it('mounts the token and starts the image CMD with its own config file added', () => {
    const pod = patch.spec.template.spec;
    expect(patch).toMatchObject({
      kind: 'Deployment',
      metadata: { name: 'paved', namespace: 'paved' },
    });
    expect(pod.automountServiceAccountToken).toBe(true);
    const container = pod.containers.find((c: any) => c.name === 'paved');
    const [generated] = overlay.configMapGenerator;
    const mount = container.volumeMounts[0];
    const volume = pod.volumes.find((v: any) => v.name === mount.name);
    expect(volume.configMap.name).toBe(generated.name);
    expect(mount.readOnly).toBe(true);
    expect(container.args).toEqual([
      ...cmd,
      '--config',
      path.posix.join(mount.mountPath, generated.files[0]),
    ]);
  });

  it('names the cluster it runs in, reached with the pod’s own token', () => {
    const config = parseYaml(
      fs.readFileSync(path.join(dir, 'app-config.in-cluster.yaml'), 'utf8'),
    );
    const [method] = config.kubernetes.clusterLocatorMethods;
    expect(method.type).toBe('config');
    expect(method.clusters).toEqual([
      expect.objectContaining({
        url: 'https://kubernetes.default.svc',
        authProvider: 'serviceAccount',
        caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
      }),
    ]);
    expect(method.clusters[0]).not.toHaveProperty('serviceAccountToken');
  });

  it('binds least-privilege ClusterRoles to the portal’s service account', () => {
    const [kustomization] = k8sDocs('kustomization.yaml');
    const sa = findKind('ServiceAccount', kustomization.resources);
    const bindings = rbac.filter(d => d.kind === 'ClusterRoleBinding');
    expect(bindings.map(b => b.roleRef.name).sort()).toEqual([
      'paved-entity-pages',
      'paved-provisioner',
    ]);
    for (const b of bindings) {
      expect(b.subjects).toEqual([
        { kind: 'ServiceAccount', name: sa.metadata.name, namespace: 'paved' },
      ]);
      expect(role(b.roleRef.name)).toBeDefined();
    }
    const rules = rbac
      .filter(d => d.kind === 'ClusterRole')
      .flatMap(d => d.rules);
    // No wildcards, no escalation, no Secrets.
    expect(
      rules.filter((r: any) =>
        [...r.apiGroups, ...r.resources, ...r.verbs].includes('*'),
      ),
    ).toEqual([]);
    expect(
      rules.filter((r: any) =>
        r.verbs.some((v: string) => ['escalate', 'impersonate'].includes(v)),
      ),
    ).toEqual([]);
    expect(rules.filter((r: any) => r.resources.includes('secrets'))).toEqual(
      [],
    );
    // bind only on the ClusterRoles Paved binds: the owners' one, and those
    // manifests may bind to their ServiceAccounts.
    const bind = rules.filter((r: any) => r.verbs.includes('bind'));
    expect(bind).toEqual([
      {
        apiGroups: ['rbac.authorization.k8s.io'],
        resources: ['clusterroles'],
        verbs: ['bind'],
        resourceNames: [
          appConfig.paved.kubernetes.ownerClusterRole,
          ...appConfig.paved.kubernetes.bindableClusterRoles,
        ],
      },
    ]);
  });

  it('lets Paved do what ensureNamespace, apply, waitForRollout and deleteNamespace do', () => {
    const p = 'paved-provisioner';
    // Server-side apply that creates is authorized as create too.
    const writes = ['get', 'create', 'patch'];
    expect(grants(p, '', 'namespaces', [...writes, 'delete'])).toBe(true);
    for (const [group, resource] of [
      ['', 'resourcequotas'],
      ['', 'limitranges'],
      ['networking.k8s.io', 'networkpolicies'],
      ['rbac.authorization.k8s.io', 'rolebindings'],
    ]) {
      expect(`${resource}: ${grants(p, group, resource, writes)}`).toBe(
        `${resource}: true`,
      );
    }
    expect(
      grants(p, 'rbac.authorization.k8s.io', 'rolebindings', ['delete']),
    ).toBe(true);
    // Every kind apply accepts (app-config.yaml), but Secret.
    const plural = (kind: string) => {
      const lower = kind.toLowerCase();
      if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
      if (lower.endsWith('s')) return `${lower}es`;
      return `${lower}s`;
    };
    const missing = (appConfig.paved.kubernetes.allowedKinds as string[])
      .filter(k => k !== 'Secret')
      .map(k => (k.includes('/') ? k.split('/') : ['', k]))
      .filter(([group, kind]) => !grants(p, group, plural(kind), writes))
      .map(([group, kind]) => `${group}/${kind}`);
    expect(missing).toEqual([]);
    // The rollout wait and its diagnostics.
    expect(grants(p, 'apps', 'deployments', ['list'])).toBe(true);
    expect(grants(p, 'apps', 'statefulsets', ['list'])).toBe(true);
    expect(grants(p, '', 'pods', ['list'])).toBe(true);
    expect(grants(p, '', 'events', ['list'])).toBe(true);
    expect(grants(p, '', 'pods/log', ['get'])).toBe(true);
    // Entity pages only read.
    expect(
      role('paved-entity-pages').rules.flatMap((r: any) => r.verbs),
    ).toEqual(
      expect.not.arrayContaining(['create', 'patch', 'update', 'delete']),
    );
    expect(grants('paved-entity-pages', 'apps', 'deployments', ['list'])).toBe(
      true,
    );
  });
});
