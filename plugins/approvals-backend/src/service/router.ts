import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { ApprovalDesk } from './ApprovalDesk';

const createBody = z.object({
  taskId: z.string().min(1),
  stepId: z.string().min(1),
  kind: z.literal('terraform-plan'),
  subjectId: z.string().min(1),
  target: z.string().min(1),
  ownerRef: z.string().min(1),
  requesterRef: z.string().min(1),
  summary: z.string().max(20_000),
});

const listQuery = z.object({
  status: z.enum(['pending', 'approved', 'rejected']).optional(),
  subjectId: z.string().min(1).max(200).optional(),
});

const approveBody = z.object({ reason: z.string().max(2000).optional() });

const rejectBody = z.object({
  reason: z
    .string({ error: 'reason: a rejection needs a reason (a string)' })
    .trim()
    .min(1, 'reason: a rejection needs a reason, and it was empty')
    .max(2000),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const problems = result.error.issues
      .map(issue =>
        issue.message.startsWith(`${issue.path.join('.')}:`)
          ? issue.message
          : `${issue.path.join('.') || what}: ${issue.message}`,
      )
      .join('; ');
    throw new InputError(`Invalid ${what}: ${problems}`);
  }
  return result.data;
}

/**
 * The approvals API at /api/approvals: the scaffolder asks (service
 * callers only), people list, read and decide.
 */
export function createRouter(options: {
  desk: ApprovalDesk;
  httpAuth: HttpAuthService;
}): express.Router {
  const { desk, httpAuth } = options;
  const router = Router();
  router.use(express.json());

  router.post('/requests', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    const body = parse(createBody, req.body, 'request body');
    const { request, created } = await desk.request(credentials, body);
    res.status(created ? 201 : 200).json(request);
  });

  router.get('/requests', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { status, subjectId } = parse(listQuery, req.query, 'query');
    res.json({ items: await desk.list(credentials, { status, subjectId }) });
  });

  router.get('/requests/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await desk.get(credentials, req.params.id));
  });

  router.post('/requests/:id/approve', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { reason } = parse(approveBody, req.body, 'request body');
    res.json(
      await desk.decide(credentials, req.params.id, {
        status: 'approved',
        reason,
      }),
    );
  });

  router.post('/requests/:id/reject', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { reason } = parse(rejectBody, req.body, 'request body');
    res.json(
      await desk.decide(credentials, req.params.id, {
        status: 'rejected',
        reason,
      }),
    );
  });

  return router;
}
