export type { Identity } from './identity';
export { workflowAllowed } from './identity';
export type { RestReply, RestRequest, Route } from './route';
export { matchRoute, routes } from './routes';
