import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { nextWriteSlot } from './nextWriteSlot';
import { Booking, BookingRequest, WriteSlotStore } from './WriteSlotStore';

const BUDGETS = 'paved_github__write_budgets';
const TURNS = 'paved_github__write_turns';
// Its own migrations table keeps this history apart from the host plugin's.
const MIGRATIONS_TABLE = 'paved_github__knex_migrations';

/**
 * The turns of every replica, in the database they share: a credential's
 * budget row is locked while its turns are read and the next one added, so
 * replicas take turns in one queue.
 */
export class DatabaseWriteSlotStore implements WriteSlotStore {
  readonly #knex: Knex;
  readonly #lockRows: boolean;

  /** Migrates the tables and builds the store on the plugin's database. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseWriteSlotStore> {
    const knex = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await knex.migrate.latest({
        directory: resolvePackagePath(
          '@paved/plugin-github-node',
          'migrations',
        ),
        tableName: MIGRATIONS_TABLE,
      });
    }
    return new DatabaseWriteSlotStore({ knex });
  }

  private constructor(options: { knex: Knex }) {
    this.#knex = options.knex;
    // SQLite runs one transaction at a time and has no row locks.
    this.#lockRows = options.knex.client.config.client === 'pg';
  }

  async book(credential: string, request: BookingRequest): Promise<Booking> {
    const most = Math.max(1, ...request.limits.map(l => l.writes));
    const longest = Math.max(0, ...request.limits.map(l => l.perMs));
    return this.#knex.transaction(async trx => {
      const blockedUntil = await this.#lock(trx, credential);
      const rows = await trx(TURNS)
        .where({ credential })
        .orderBy('at', 'desc')
        .limit(most)
        .select('at');
      const slots = rows.map(r => Number(r.at));
      const at = nextWriteSlot({ ...request, blockedUntil, slots });
      const [{ count }] = await trx(TURNS)
        .where({ credential })
        .andWhere('at', '>', request.now)
        .count({ count: '*' });
      const ahead = Number(count);
      if (at > request.latest) return { booked: false, at, ahead };
      await trx(TURNS).insert({ credential, at });
      await trx(TURNS)
        .where({ credential })
        .andWhere('at', '<', request.now - longest)
        .delete();
      return { booked: true, at, ahead };
    });
  }

  async block(credential: string, until: number): Promise<void> {
    await this.#knex.transaction(async trx => {
      await this.#lock(trx, credential);
      await trx(BUDGETS)
        .where({ credential })
        .andWhere('blocked_until', '<', until)
        .update({ blocked_until: until });
    });
  }

  /** Locks the credential's budget row (made when missing); its block. */
  async #lock(trx: Knex.Transaction, credential: string): Promise<number> {
    await trx(BUDGETS)
      .insert({ credential, blocked_until: 0 })
      .onConflict('credential')
      .ignore();
    const query = trx(BUDGETS).where({ credential }).first('blocked_until');
    const row = await (this.#lockRows ? query.forUpdate() : query);
    return Number(row?.blocked_until ?? 0);
  }
}
