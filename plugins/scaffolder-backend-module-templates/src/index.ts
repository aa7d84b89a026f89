/**
 * The scaffolder actions every golden-path template shares:
 * `paved:form:check` and `paved:provenance:record`.
 *
 * @packageDocumentation
 */

export { scaffolderModulePavedTemplates as default } from './module';
export { createFormCheckAction } from './actions/formCheck';
export type { FormCheckDeps } from './actions/formProblems';
export {
  createProvenanceRecordAction,
  ANSWERS_PATH,
} from './actions/provenanceRecord';
export type { ProvenanceDeps } from './actions/provenanceRecord';
export {
  TEMPLATE_ANNOTATION,
  TEMPLATE_VERSION_ANNOTATION,
} from './actions/provenanceFiles';
