/*
 * Paved's backend: the new backend system with the plugins the portal needs.
 * Which plugin lives where is described in the repository README.
 */
import { createBackend } from '@backstage/backend-defaults';
import {
  auditorServiceFactory,
  permissionsServiceFactory,
} from '@paved/plugin-audit-node';
import {
  rootLoggerServiceFactory,
  validatedRootConfigServiceFactory,
} from './config/serviceFactories';
import { forgeUrlReaderFactory } from './features/forgeUrlReader';
import { githubDiscoveryFeatureLoader } from './features/githubDiscovery';
import { publishingFeatureLoader } from './features/publishing';

const backend = createBackend();

// Configuration is validated against every package's config.d.ts at start.
backend.add(validatedRootConfigServiceFactory);
backend.add(rootLoggerServiceFactory);

// audit trail: every plugin's auditor events, and every permission DENY, are
// stored by the audit plugin and read by admins at /api/audit/events
backend.add(auditorServiceFactory);
backend.add(permissionsServiceFactory);
backend.add(import('@paved/plugin-audit-backend'));

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// The task workspace in the scaffolder's database, so that a task recovered
// after a crash or retried (scaffolder.taskRecovery) finds what its completed
// steps wrote, on whichever replica it resumes
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-workspace-database'),
);
// paved:kubernetes:* actions; clusters are the kubernetes plugin's (see below)
backend.add(import('@paved/plugin-scaffolder-backend-module-kubernetes'));
// paved:terraform:* actions (paved.terraform); without a binary they fail saying so
backend.add(import('@paved/plugin-scaffolder-backend-module-terraform'));
// approvals: paved:terraform:review asks the workspace's owning group to
// approve a plan; a member other than the requester decides at /approvals,
// and the approvals plugin resumes the task
backend.add(import('@paved/plugin-approvals-backend'));
// deploys: the image of a component's workloads, set by its own CI (a GitHub
// Actions OIDC token, through backend.auth.externalAccess) or its team, at /api/deploy
backend.add(import('@paved/plugin-deploy-backend'));
// paved:publish, to GitHub where integrations.github has credentials for the
// host and to the local forge otherwise
backend.add(publishingFeatureLoader);
// the paved:github:* hardening steps (skipped on the local forge)
backend.add(import('@paved/plugin-scaffolder-backend-module-github'));
// paved:form:check (every template's first step) and paved:provenance:record
backend.add(import('@paved/plugin-scaffolder-backend-module-templates'));

// techdocs (external builder by default, see app-config.yaml)
backend.add(import('@backstage/plugin-techdocs-backend'));

// auth: guest in the embedded default, GitHub OAuth in production
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// the embedded default's sign-in picker (auth.providers.picker; refused in production)
backend.add(import('@paved/plugin-auth-backend-module-paved-picker-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));

// catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// GitHub discovery of repositories, teams and members, when GITHUB_ORG is set
backend.add(githubDiscoveryFeatureLoader);
// Entities that fail processing (a broken catalogue file) are listed with their errors.
backend.add(import('@backstage/plugin-catalog-backend-module-unprocessed'));

// local forge: where paved:publish puts repositories when no GitHub
// integration has credentials; served at /api/forge, read by every UrlReader
// from disk, and its entities get a source location
backend.add(import('@paved/plugin-forge-backend'));
backend.add(import('@paved/plugin-catalog-backend-module-forge'));
backend.add(forgeUrlReaderFactory);
// Terraform workspaces that serve a component, as Resource entities the
// component depends on (registered through paved.terraform.resources events)
backend.add(import('@paved/plugin-catalog-backend-module-paved-resources'));

// events: carries catalogue, signals and notification events between replicas
backend.add(import('@backstage/plugin-events-backend'));

// permissions: Paved's policy (admins from paved.permissions.adminGroups;
// see the module's README for every decision)
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('@paved/plugin-permission-backend-module-paved-policy'));

// search: PostgreSQL engine when the database is PostgreSQL, Lunr otherwise
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
// No TechDocs collator: the embedded default builds no docs, and Lunr fails
// every query while an index is empty. Add
// @backstage/plugin-search-backend-module-techdocs once docs are published.

// kubernetes: wired, no cluster configured by default
backend.add(import('@backstage/plugin-kubernetes-backend'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-mcp-actions-backend'));

// A backend that cannot start (invalid config, unreachable database) must exit
// non-zero so that a supervisor restarts it instead of leaving it half-up.
backend.start().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
