/*
 * The portal's backend for bench/policy.ts: what a catalogue list, a task
 * read and Create Component (node-service on the local forge) go through,
 * with a choice of permission policy and of the audit trail, so each is
 * measured beside its absence with everything else equal.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/policy/backend.ts \
 *     --policy=paved|allow-all --audit=on|off --config ... --config ...
 *
 * Run it from packages/backend, as `npm start` runs the backend.
 */
import { createBackend } from '@backstage/backend-defaults';
import {
  auditorServiceFactory,
  permissionsServiceFactory,
} from '@paved/plugin-audit-node';
import { forgeUrlReaderFactory } from '../../packages/backend/src/features/forgeUrlReader';
import { publishingFeatureLoader } from '../../packages/backend/src/features/publishing';

const flag = (name: string) =>
  process.argv.find(a => a.startsWith(`--${name}=`))?.split('=')[1];

const backend = createBackend();
if (flag('audit') !== 'off') {
  backend.add(auditorServiceFactory);
  backend.add(permissionsServiceFactory);
  backend.add(import('@paved/plugin-audit-backend'));
}
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@paved/plugin-auth-backend-module-paved-picker-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@paved/plugin-catalog-backend-module-forge'));
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-workspace-database'),
);
backend.add(publishingFeatureLoader);
backend.add(import('@paved/plugin-scaffolder-backend-module-github'));
backend.add(import('@paved/plugin-scaffolder-backend-module-kubernetes'));
backend.add(import('@paved/plugin-forge-backend'));
backend.add(forgeUrlReaderFactory);
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  flag('policy') === 'allow-all'
    ? import('@backstage/plugin-permission-backend-module-allow-all-policy')
    : import('@paved/plugin-permission-backend-module-paved-policy'),
);
backend.start().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
