import { parse } from '@cdktf/hcl2json';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ModuleCatalog } from './ModuleCatalog';
import { parseTypeConstraint } from './TypeConstraint';

const MODULES = path.resolve(
  __dirname,
  '../../../../templates/terraform/modules',
);
const FIXTURES = path.resolve(__dirname, '../__fixtures__/modules');

/** Every .tf file of a module, parsed by a real HCL parser and merged. */
async function parseModule(dir: string) {
  const merged: Record<string, any> = {};
  for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.tf'))) {
    const parsed = await parse(
      file,
      fs.readFileSync(path.join(dir, file), 'utf8'),
    );
    for (const [blockType, blocks] of Object.entries<any>(parsed)) {
      if (Array.isArray(blocks)) {
        merged[blockType] = [...(merged[blockType] ?? []), ...blocks];
      } else {
        merged[blockType] = { ...(merged[blockType] ?? {}), ...blocks };
        if (blockType === 'resource') {
          for (const [type, byName] of Object.entries<any>(blocks)) {
            merged.resource[type] = {
              ...(merged.resource[type] ?? {}),
              ...byName,
            };
          }
        }
      }
    }
  }
  return merged;
}

/** The regular expression of a `can(regex("...", var.x))` condition. */
function regexOf(condition: string): string | undefined {
  const m = /can\(regex\(("(?:[^"\\]|\\.)*")/.exec(condition);
  return m ? JSON.parse(m[1]) : undefined;
}

const moduleDirs = [
  ...fs.readdirSync(MODULES).map(name => [name, path.join(MODULES, name)]),
  ...fs.readdirSync(FIXTURES).map(name => [name, path.join(FIXTURES, name)]),
];

describe('vetted modules', () => {
  it('are the three golden paths', () => {
    expect(fs.readdirSync(MODULES).sort()).toEqual([
      'object-bucket',
      'postgres-database',
      'redis-cache',
    ]);
  });

  describe.each(moduleDirs)('%s', (name, dir) => {
    const manifest = JSON.parse(
      fs.readFileSync(path.join(dir, 'module.json'), 'utf8'),
    );
    let hcl: Record<string, any>;
    beforeAll(async () => {
      hcl = await parseModule(dir);
    });

    it('declares in module.json exactly the variables of its HCL', () => {
      const declared = Object.fromEntries(
        Object.entries<any>(hcl.variable ?? {}).map(([n, blocks]) => [
          n,
          blocks[0],
        ]),
      );
      expect(Object.keys(manifest.variables).sort()).toEqual(
        Object.keys(declared).sort(),
      );
      for (const [v, block] of Object.entries<any>(declared)) {
        const def = manifest.variables[v];
        expect({ variable: v, type: parseTypeConstraint(def.type) }).toEqual({
          variable: v,
          type: parseTypeConstraint(block.type),
        });
        expect({ variable: v, hasDefault: 'default' in def }).toEqual({
          variable: v,
          hasDefault: 'default' in block,
        });
        expect({ variable: v, default: def.default }).toEqual({
          variable: v,
          default: block.default,
        });
        expect({ variable: v, sensitive: def.sensitive === true }).toEqual({
          variable: v,
          sensitive: block.sensitive === true,
        });
        expect({ variable: v, description: def.description }).toEqual({
          variable: v,
          description: block.description,
        });
        const validation = block.validation?.[0];
        expect({
          variable: v,
          pattern: def.pattern,
          message: def.patternMessage,
        }).toEqual({
          variable: v,
          pattern: validation ? regexOf(validation.condition) : undefined,
          message: validation?.error_message,
        });
      }
    });

    it('declares in module.json exactly the outputs of its HCL', () => {
      const declared = Object.fromEntries(
        Object.entries<any>(hcl.output ?? {}).map(([n, b]) => [n, b[0]]),
      );
      expect(Object.keys(manifest.outputs).sort()).toEqual(
        Object.keys(declared).sort(),
      );
      for (const [o, block] of Object.entries<any>(declared)) {
        expect({
          output: o,
          description: manifest.outputs[o].description,
          sensitive: manifest.outputs[o].sensitive === true,
        }).toEqual({
          output: o,
          description: block.description,
          sensitive: block.sensitive === true,
        });
      }
    });

    it('lists in module.json exactly the resources of its HCL', () => {
      const addresses = Object.entries<any>(hcl.resource ?? {}).flatMap(
        ([type, byName]) => Object.keys(byName).map(n => `${type}.${n}`),
      );
      expect([...manifest.resources].sort()).toEqual(addresses.sort());
    });

    it('leaves the backend to the runner and pins its Terraform version', () => {
      const terraformBlocks = hcl.terraform ?? [];
      expect(terraformBlocks.some((t: any) => t.backend)).toBe(false);
      expect(
        terraformBlocks.map((t: any) => t.required_version),
      ).toContainEqual(expect.stringMatching(/^>= 1\.\d+\.\d+$/));
      expect(manifest.name).toBe(name);
    });
  });

  it.each(fs.readdirSync(MODULES))(
    '%s has a README naming every variable and output',
    name => {
      const manifest = JSON.parse(
        fs.readFileSync(path.join(MODULES, name, 'module.json'), 'utf8'),
      );
      const readme = fs.readFileSync(
        path.join(MODULES, name, 'README.md'),
        'utf8',
      );
      const missing = [
        ...Object.keys(manifest.variables),
        ...Object.keys(manifest.outputs),
      ].filter(n => !readme.includes(`\`${n}\``));
      expect(missing).toEqual([]);
    },
  );
});

describe('ModuleCatalog', () => {
  let catalog: ModuleCatalog;
  beforeAll(async () => {
    catalog = await ModuleCatalog.load(MODULES);
  });

  it('lists the modules with their declarations', () => {
    const pg = catalog.list().find(m => m.name === 'postgres-database')!;
    expect(pg.title).toBe('PostgreSQL database');
    expect(pg.variables.name).toMatchObject({ type: 'string', required: true });
    expect(pg.variables.master_password).toMatchObject({
      sensitive: true,
      required: false,
      default: null,
    });
    expect(pg.outputs.master_password.sensitive).toBe(true);
    expect(catalog.sensitiveVariables('postgres-database')).toEqual([
      'master_password',
    ]);
  });

  it('refuses an unknown module, naming the field and the choices', () => {
    expect(() => catalog.get('mongo-database')).toThrow(
      'module: unknown module "mongo-database"; available: object-bucket, postgres-database, redis-cache',
    );
    expect(() => catalog.get('../../etc')).toThrow(
      /^module: expected the name of a vetted module/,
    );
  });

  it('accepts valid variables and drops nulls so defaults apply', () => {
    expect(
      catalog.validateVariables('redis-cache', {
        name: 'orders-cache',
        owner: 'fulfilment',
        replicas: 2,
        maintenance: { window: 'mon:01:00-mon:02:00' },
        parameters: { 'maxmemory-policy': 'allkeys-lru' },
        tags: null,
      }),
    ).toEqual({
      name: 'orders-cache',
      owner: 'fulfilment',
      replicas: 2,
      maintenance: { window: 'mon:01:00-mon:02:00' },
      parameters: { 'maxmemory-policy': 'allkeys-lru' },
    });
  });

  it('names every missing, wrong-typed and undeclared variable at once', () => {
    let error: any;
    try {
      catalog.validateVariables('redis-cache', {
        owner: 42,
        replicas: '2',
        maintenance: { snapshot_retention_days: 3, colour: 'red' },
        security_group_ids: ['sg-1', 7],
        region: 'eu-west-1',
      });
    } catch (e) {
      error = e;
    }
    expect(error.name).toBe('InputError');
    expect(error.message).toBe(
      'Invalid variables for module "redis-cache": ' +
        'variables.region: not declared by module "redis-cache" (declared: name, owner, node_type, engine_version, replicas, subnet_group_name, security_group_ids, maintenance, parameters, tags); ' +
        'variables.name: missing, required (string); ' +
        'variables.owner: expected a string, got a number; ' +
        'variables.replicas: expected a number, got a string; ' +
        'variables.security_group_ids[1]: expected a string, got a number; ' +
        'variables.maintenance.window: missing, required; ' +
        'variables.maintenance.colour: not an attribute of object({ window = string, snapshot_retention_days = optional(number) })',
    );
  });

  it('refuses values that try to inject configuration into a checked field', () => {
    expect(() =>
      catalog.validateVariables('object-bucket', {
        name: 'x"}\nresource "aws_iam_user" "evil" {}',
        owner: 'team',
      }),
    ).toThrow(
      /^Invalid variables for module "object-bucket": variables\.name: The bucket name must be 3-63 lowercase letters.*\(must match \^\[a-z0-9\]\[a-z0-9-\]\{1,61\}\[a-z0-9\]\$\), got "x\\"}\\nresource/,
    );
    expect(() =>
      catalog.validateVariables('object-bucket', {
        name: 'good-name',
        owner: 'team',
        versioning: '${true}',
      }),
    ).toThrow('variables.versioning: expected a bool, got a string');
  });

  it('never echoes a sensitive value in its error', () => {
    expect(() =>
      catalog.validateVariables('postgres-database', {
        name: 'orders',
        owner: 'team',
        master_password: { value: 'hunter2-secret' },
      }),
    ).toThrow('variables.master_password: expected a string, got an object');
  });

  it('refuses variables that are not an object', () => {
    expect(() => catalog.validateVariables('object-bucket', ['a'])).toThrow(
      'variables: expected an object of variable values, got a list',
    );
  });
});

describe("a module's connection details", () => {
  it('names, for each Secret key, one of the outputs its HCL declares', async () => {
    const catalog = await ModuleCatalog.load(MODULES);
    expect(catalog.get('postgres-database').connection).toEqual({
      PGHOST: 'endpoint',
      PGPORT: 'port',
      PGDATABASE: 'database_name',
      PGUSER: 'username',
      PGPASSWORD: 'master_password',
    });
    for (const mod of catalog.list()) {
      expect(Object.keys(mod.connection).length).toBeGreaterThan(0);
      for (const output of Object.values(mod.connection)) {
        expect(Object.keys(mod.outputs)).toContain(output);
      }
    }
  });

  it('refuses a connection naming an output the module does not declare', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-modules-'));
    fs.mkdirSync(path.join(dir, 'broken'));
    fs.writeFileSync(
      path.join(dir, 'broken', 'module.json'),
      JSON.stringify({
        name: 'broken',
        outputs: { endpoint: { description: 'Host.' } },
        connection: { PGHOST: 'endpoint', PGPASSWORD: 'password' },
      }),
    );
    await expect(ModuleCatalog.load(dir)).rejects.toThrow(
      `${path.join(
        dir,
        'broken',
        'module.json',
      )}: connection.PGPASSWORD: expected the name of a declared output (endpoint), got "password"`,
    );
  });
});
