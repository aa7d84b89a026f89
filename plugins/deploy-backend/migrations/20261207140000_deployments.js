// @ts-check

/**
 * Deployments: each time an image was set on a component's workloads in
 * one of its environments (from CI or by a person), and how its rollout
 * ended.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('paved_deploy__deployments', table => {
    table.comment('Images deployed to components and how their rollouts ended');
    table.string('id', 36).primary().notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 63).notNullable();
    table.string('image', 512).notNullable();
    table.string('status', 16).notNullable().comment('succeeded or failed');
    table
      .text('workloads')
      .notNullable()
      .comment('JSON array of Kind/name the image was set on');
    table
      .string('actor', 512)
      .notNullable()
      .comment('user entity ref, or the external subject of a CI token');
    table.string('run_repository', 255).nullable();
    table.string('run_sha', 64).nullable();
    table.string('run_id', 64).nullable();
    table.string('run_workflow', 255).nullable();
    table.text('message').nullable().comment('why a rollout failed');
    table.bigInteger('started_at').notNullable().comment('epoch ms');
    table.bigInteger('finished_at').notNullable().comment('epoch ms');
    table.index(
      ['entity_ref', 'started_at'],
      'paved_deploy__deployments_entity_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('paved_deploy__deployments');
};
