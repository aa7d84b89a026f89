// @ts-check

/**
 * Run leases per workspace (one run at a time across replicas) and saved
 * plans (checksum, redacted summary, status) of the TerraformRunner.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('paved_terraform__workspace_leases', table => {
    table.comment('Who runs terraform in a workspace, until when');
    table.string('workspace', 128).primary().notNullable();
    table.string('holder', 255).notNullable().comment('replica id / run id');
    table.string('host', 255).notNullable();
    table.string('run_id', 64).notNullable();
    table.string('operation', 32).notNullable();
    table.bigInteger('acquired_at').notNullable().comment('epoch ms');
    table.bigInteger('expires_at').notNullable().comment('epoch ms');
  });
  await knex.schema.createTable('paved_terraform__plans', table => {
    table.comment('Saved plans: applied exactly as reviewed');
    table.string('plan_id', 64).primary().notNullable();
    table.string('workspace', 128).notNullable().index();
    table.string('module', 128).notNullable();
    table.string('owner', 255).nullable().comment('task that may apply it');
    table.text('run_dir').notNullable();
    table.string('checksum', 64).notNullable().comment('sha256 of plan file');
    table.text('summary').notNullable().comment('redacted summary, JSON');
    table.string('status', 16).notNullable();
    table.boolean('has_changes').notNullable();
    table.boolean('destroy').notNullable();
    table.bigInteger('created_at').notNullable().comment('epoch ms');
    table.bigInteger('updated_at').notNullable().comment('epoch ms');
    table.text('result').nullable().comment('apply result, JSON');
    table.text('error').nullable().comment('last error, redacted');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('paved_terraform__plans');
  await knex.schema.dropTable('paved_terraform__workspace_leases');
};
