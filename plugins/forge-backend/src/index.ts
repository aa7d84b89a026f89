/**
 * Serves the local forge: pages and raw files, and git clone over smart HTTP.
 *
 * @packageDocumentation
 */

export { forgePlugin as default } from './plugin';
