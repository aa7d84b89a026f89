export { httpAuthWithActors } from './httpAuthWithActors';
