import { ContainerRule } from './ContainerRule';

/** CPU and memory requests and limits, so the namespace's quota can hold. */
export const checkResources: ContainerRule = (c, { path, report }) => {
  const resources = c?.resources ?? {};
  const missing = [
    ['requests', 'cpu'],
    ['requests', 'memory'],
    ['limits', 'cpu'],
    ['limits', 'memory'],
  ]
    .filter(([group, key]) => resources?.[group]?.[key] === undefined)
    .map(([group, key]) => `${group}.${key}`);
  if (missing.length > 0) {
    report(`${path}.resources`, `missing ${missing.join(', ')}`);
  }
};
