// @ts-check

/**
 * Saved plan files in the database, so that any replica can apply a plan
 * (the review flow resumes a task wherever the scaffolder picks it up, and
 * a replica's disk may be gone): the plan file, the dependency lock file
 * and the variables the run directory is rebuilt from, sealed with
 * AES-256-GCM. The row goes once the plan is applied, expired or stale.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const mysql = /mysql/.test(String(knex.client.config.client));
  await knex.schema.createTable('paved_terraform__plan_files', table => {
    table.comment('Sealed plan files of saved plans, until applied or expired');
    table
      .string('plan_id', 64)
      .primary()
      .notNullable()
      .references('plan_id')
      .inTable('paved_terraform__plans')
      .onDelete('CASCADE');
    // bytea on PostgreSQL, blob on SQLite; MySQL's blob stops at 64 KiB.
    if (mysql) table.specificType('content', 'longblob').notNullable();
    else table.binary('content').notNullable();
    table
      .string('key_id', 64)
      .notNullable()
      .comment('which encryption key sealed the content');
    table
      .bigInteger('plan_file_bytes')
      .notNullable()
      .comment('size of the plan file itself');
    table.bigInteger('created_at').notNullable().comment('epoch ms');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('paved_terraform__plan_files');
};
