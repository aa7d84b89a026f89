/**
 * Test servers that speak the real protocols: a Kubernetes API server, a
 * GitHub API server with git over smart HTTP, and a stand-in terraform binary;
 * and a runner that runs a scaffolder action as a task would, for tests.
 *
 * @packageDocumentation
 */

export * from './kubernetes';
export * from './github';
export * from './terraform';
export * from './scaffolder';
export * from './ownership';
export * from './backend';
