import {
  createFrontendModule,
  createTranslationMessages,
} from '@backstage/frontend-plugin-api';
import { TranslationBlueprint } from '@backstage/plugin-app-react';
import { techdocsTranslationRef } from '@backstage/plugin-techdocs/alpha';

/**
 * What the TechDocs tab says when an entity's docs were never built and the
 * builder is not local: the embedded default keeps `techdocs.builder:
 * external` because building needs mkdocs and its techdocs-core plugin,
 * which it cannot assume on the machine (the production image has them and
 * builds the docs on first view, so this note does not appear there);
 * upstream's note says only that the builder is not local.
 */
export const TECHDOCS_NOT_BUILT_NOTE =
  "Paved does not build documentation in this portal: techdocs.builder is not 'local', because building needs mkdocs with the mkdocs-techdocs-core plugin, which is not installed where the portal runs. The docs are in the repository (mkdocs.yml and docs/). To show them here, install mkdocs-techdocs-core where the backend runs and set techdocs.builder and techdocs.generator.runIn to 'local' (README, \"TechDocs\").";

const techdocsNotBuilt = TranslationBlueprint.make({
  name: 'techdocs-not-built',
  params: {
    resource: createTranslationMessages({
      ref: techdocsTranslationRef,
      messages: { 'notFound.builderNote': TECHDOCS_NOT_BUILT_NOTE },
    }),
  },
});

/** Paved's own words on the TechDocs tab for docs that were not built. */
export const techdocsNoteModule = createFrontendModule({
  pluginId: 'app',
  extensions: [techdocsNotBuilt],
});
