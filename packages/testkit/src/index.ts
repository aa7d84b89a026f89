/**
 * Test servers that speak the real protocols: a Kubernetes API server, a
 * GitHub API server with git over smart HTTP, and a stand-in terraform binary.
 *
 * @packageDocumentation
 */

export * from './kubernetes';
export * from './github';
export * from './terraform';
