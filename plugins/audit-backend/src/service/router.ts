import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { AuditRecord } from '@paved/plugin-audit-node';
import { pavedAuditReadPermission } from '@paved/plugin-ownership-common';
import express from 'express';
import Router from 'express-promise-router';
import { AuditStore } from '../store/AuditStore';
import { encodeCursor, parseAuditQuery } from './parseAuditQuery';

/** What `GET /events` returns of one event. */
function toJson(record: AuditRecord) {
  return { ...record, time: new Date(record.time).toISOString() };
}

/**
 * `GET /events`: the trail, newest first, filtered by the query, for
 * callers `paved.audit.read` allows (admins).
 */
export function createRouter(options: {
  store: AuditStore;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}): express.Router {
  const { store, httpAuth, permissions } = options;
  const router = Router();

  router.get('/events', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize(
      [{ permission: pavedAuditReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Reading the audit trail requires the permission ${pavedAuditReadPermission.name}`,
      );
    }
    const page = await store.query(parseAuditQuery(req.query));
    res.json({
      events: page.events.map(toJson),
      ...(page.nextCursor && { nextCursor: encodeCursor(page.nextCursor) }),
    });
  });

  return router;
}
