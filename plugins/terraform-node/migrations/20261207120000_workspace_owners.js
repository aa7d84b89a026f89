// @ts-check

/**
 * The group that owns each workspace, recorded at its first plan: every
 * later plan, apply, destroy and output read of the workspace is checked
 * against this owner, never against a form's owner field.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('paved_terraform__workspace_owners', table => {
    table.comment('Owning group of each workspace, recorded at its first plan');
    table.string('workspace', 128).primary().notNullable();
    table
      .string('owner_ref', 255)
      .notNullable()
      .comment('group entity ref, e.g. group:default/storefront');
    table
      .string('recorded_by', 255)
      .nullable()
      .comment('user entity ref of who planned first');
    table.string('task_id', 64).nullable().comment('task of the first plan');
    table.bigInteger('recorded_at').notNullable().comment('epoch ms');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('paved_terraform__workspace_owners');
};
