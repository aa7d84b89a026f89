// @ts-check

/**
 * The GitHub write budget: per credential (a token or a GitHub App
 * installation, never its secret), the turns given to content-creating
 * requests and how long GitHub asked to wait, shared by every replica.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('paved_github__write_budgets', table => {
    table.comment('The write budget of a credential; its row locks the queue');
    table
      .string('credential', 255)
      .primary()
      .notNullable()
      .comment('host and kind of credential, with a hash of a token');
    table
      .bigInteger('blocked_until')
      .notNullable()
      .defaultTo(0)
      .comment('epoch ms: no write before (retry-after, reset)');
  });
  await knex.schema.createTable('paved_github__write_turns', table => {
    table.comment('Turns given to writes, kept for the longest limit window');
    table.bigIncrements('id').primary();
    table.string('credential', 255).notNullable();
    table.bigInteger('at').notNullable().comment('epoch ms');
    table.index(['credential', 'at'], 'paved_github__write_turns_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('paved_github__write_turns');
  await knex.schema.dropTable('paved_github__write_budgets');
};
