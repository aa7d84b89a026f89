import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { Deployment, DeploymentStore } from './DeploymentStore';

const TABLE = 'paved_deploy__deployments';
// Its own history, so that sharing a database with another plugin never mixes two plugins' migrations.
const MIGRATIONS_TABLE = 'paved_deploy__knex_migrations';

type Row = {
  id: string;
  entity_ref: string;
  environment: string;
  image: string;
  status: string;
  workloads: string;
  actor: string;
  run_repository: string | null;
  run_sha: string | null;
  run_id: string | null;
  run_workflow: string | null;
  message: string | null;
  started_at: string | number;
  finished_at: string | number;
};

function iso(epochMs: string | number): string {
  return new Date(Number(epochMs)).toISOString();
}

function fromRow(row: Row): Deployment {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    environment: row.environment,
    image: row.image,
    status: row.status as Deployment['status'],
    workloads: JSON.parse(row.workloads),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    actor: row.actor,
    ...(row.message !== null && { message: row.message }),
    ...(row.run_repository !== null && {
      run: {
        repository: row.run_repository,
        sha: row.run_sha ?? '',
        runId: row.run_id ?? '',
        workflow: row.run_workflow ?? '',
      },
    }),
  };
}

/** The deployments in the deploy plugin's database (SQLite or PostgreSQL). */
export class DatabaseDeploymentStore implements DeploymentStore {
  readonly #knex: Knex;

  /** Migrates the table (unless migrations are skipped) and builds the store. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseDeploymentStore> {
    const knex = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await knex.migrate.latest({
        directory: resolvePackagePath(
          '@paved/plugin-deploy-backend',
          'migrations',
        ),
        tableName: MIGRATIONS_TABLE,
      });
    }
    return new DatabaseDeploymentStore({ knex });
  }

  private constructor(options: { knex: Knex }) {
    this.#knex = options.knex;
  }

  async add(deployment: Deployment): Promise<void> {
    await this.#knex(TABLE).insert({
      id: deployment.id,
      entity_ref: deployment.entityRef,
      environment: deployment.environment,
      image: deployment.image,
      status: deployment.status,
      workloads: JSON.stringify(deployment.workloads),
      actor: deployment.actor,
      run_repository: deployment.run?.repository ?? null,
      run_sha: deployment.run?.sha ?? null,
      run_id: deployment.run?.runId ?? null,
      run_workflow: deployment.run?.workflow ?? null,
      message: deployment.message ?? null,
      started_at: new Date(deployment.startedAt).getTime(),
      finished_at: new Date(deployment.finishedAt).getTime(),
    });
  }

  async list(filter: {
    entityRef: string;
    limit: number;
  }): Promise<Deployment[]> {
    const rows: Row[] = await this.#knex<Row>(TABLE)
      .where({ entity_ref: filter.entityRef })
      .orderBy([
        { column: 'started_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(filter.limit);
    return rows.map(fromRow);
  }
}
