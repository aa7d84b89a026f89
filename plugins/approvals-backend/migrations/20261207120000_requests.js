// @ts-check

/**
 * Requests for approval: a Terraform plan waits in its task until a member
 * of the owning group (not the requester, unless allowed) decides it. One
 * request per task and subject (plan), so asking again returns it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('paved_approvals__requests', table => {
    table.comment('Requests for approval and their decisions');
    table.string('id', 36).primary().notNullable();
    table.string('task_id', 255).notNullable();
    table.string('step_id', 255).notNullable();
    table.string('kind', 64).notNullable().comment('terraform-plan');
    table
      .string('subject_id', 255)
      .notNullable()
      .comment('what is approved: the plan id');
    table.string('target', 512).notNullable();
    table.string('owner_ref', 255).notNullable();
    table.string('requester_ref', 255).notNullable();
    table.text('summary').notNullable().comment('the plan summary, no secret');
    table.string('task_url', 1024).notNullable();
    table
      .string('status', 16)
      .notNullable()
      .comment('pending, approved or rejected');
    table.string('decided_by', 255).nullable();
    table.bigInteger('decided_at').nullable().comment('epoch ms');
    table.text('reason').nullable();
    table.bigInteger('created_at').notNullable().comment('epoch ms');
    table.unique(['task_id', 'subject_id'], {
      indexName: 'paved_approvals__requests_task_subject_uniq',
    });
    table.index(
      ['status', 'owner_ref'],
      'paved_approvals__requests_status_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('paved_approvals__requests');
};
