/**
 * The local forge: bare git repositories under the data folder, for the embedded default without GitHub.
 *
 * @packageDocumentation
 */

export {};
