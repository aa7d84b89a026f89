/**
 * Test utilities for code that uses the TerraformRunner.
 *
 * @packageDocumentation
 */

export { terraformRunnerServiceMock } from './testUtils/terraformRunnerServiceMock';
