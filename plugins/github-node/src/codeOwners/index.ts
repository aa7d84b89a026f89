// What src/index.ts exports from here.
export { codeOwnerFor, codeOwnersContent } from './codeOwnersContent';
