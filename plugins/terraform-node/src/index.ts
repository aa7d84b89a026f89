/**
 * TerraformRunner: vetted modules, plan before apply, one run per workspace across replicas.
 *
 * @packageDocumentation
 */

export {};
