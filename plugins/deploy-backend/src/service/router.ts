import { AuthService, HttpAuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { Deployer, readComponent } from './Deployer';
import { WorkflowRunsReader } from './WorkflowRunsReader';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const deployBody = z.object({
  entityRef: z.string(),
  environment: z
    .string()
    .max(63)
    .regex(DNS_LABEL, 'a DNS-1123 label such as dev or prod'),
  image: z.string().min(1).max(512),
  dryRun: z.boolean().optional(),
});

const entityQuery = z.object({ entityRef: z.string() });

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const problems = result.error.issues
      .map(issue => `${issue.path.join('.') || what}: ${issue.message}`)
      .join('; ');
    throw new InputError(`Invalid ${what}: ${problems}`);
  }
  return result.data;
}

/** A component's ref as the catalogue writes it, or a 400 naming the field. */
function componentRefOf(value: string): string {
  let ref;
  try {
    ref = parseEntityRef(value, { defaultKind: 'component' });
  } catch {
    ref = undefined;
  }
  if (!ref || ref.kind.toLowerCase() !== 'component') {
    throw new InputError(
      `entityRef: expected a component ref such as component:default/<name>, got "${value}"`,
    );
  }
  return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
}

/**
 * The deploy API at /api/deploy: deploy an image (people of the owning
 * team, or the component's own CI with its OIDC token; `dryRun: true`
 * checks the caller and the guardrails and changes nothing), list a
 * component's deployments and its CI runs.
 */
export function createRouter(options: {
  deployer: Deployer;
  runs: WorkflowRunsReader;
  catalog: CatalogService;
  auth: AuthService;
  httpAuth: HttpAuthService;
}): express.Router {
  const { deployer, runs, catalog, auth, httpAuth } = options;
  const router = Router();
  router.use(express.json());

  router.post('/deployments', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { dryRun, ...body } = parse(deployBody, req.body, 'request body');
    const request = { ...body, entityRef: componentRefOf(body.entityRef) };
    if (dryRun) {
      res.json({ dryRun: await deployer.plan(credentials, request) });
      return;
    }
    const deployment = await deployer.deploy(
      credentials,
      request,
      req.headers.authorization,
    );
    res.json({ deployment });
  });

  router.get('/deployments', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const { entityRef } = parse(entityQuery, req.query, 'query');
    res.json({ deployments: await deployer.list(componentRefOf(entityRef)) });
  });

  router.get('/runs', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const { entityRef } = parse(entityQuery, req.query, 'query');
    const entity = await readComponent(
      catalog,
      auth,
      componentRefOf(entityRef),
    );
    res.json(await runs.runsOf(entity));
  });

  return router;
}
