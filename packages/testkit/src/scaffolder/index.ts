export { declaredOutputs, exampleInput, runAction } from './runAction';
export type { ActionRun } from './runAction';
