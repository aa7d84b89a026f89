// @ts-check

/**
 * The audit trail: one row per stored auditor event.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('paved_audit__events', table => {
    table.comment('Auditor events of every plugin: who, what, target, outcome');
    table.string('id', 36).primary().notNullable().comment('uuid');
    table.bigInteger('time').notNullable().comment('epoch ms');
    table.string('plugin', 64).notNullable();
    table.string('event_id', 128).notNullable();
    table.string('severity', 16).notNullable();
    table.string('status', 16).notNullable();
    table.string('actor', 255).nullable();
    table.string('target', 512).nullable();
    table.string('task_id', 64).nullable();
    table.text('error').nullable();
    table.text('meta').nullable().comment('JSON, secrets removed');
    table.index(['time', 'id'], 'paved_audit__events_time_idx');
    table.index(['actor', 'time'], 'paved_audit__events_actor_idx');
    table.index(['task_id'], 'paved_audit__events_task_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('paved_audit__events');
};
