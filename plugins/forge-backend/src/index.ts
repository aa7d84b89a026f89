/**
 * Serves the local forge: raw files for catalogue locations and git over smart HTTP.
 *
 * @packageDocumentation
 */

export {};
