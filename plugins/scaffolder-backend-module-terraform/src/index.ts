/**
 * Scaffolder actions terraform:plan, terraform:apply, terraform:destroy, terraform:output.
 *
 * @packageDocumentation
 */

export {};
