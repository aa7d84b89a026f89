/**
 * Paved's permissions on what a group owns.
 *
 * @packageDocumentation
 */

export * from './permissions';
