import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { techdocsTranslationRef } from '@backstage/plugin-techdocs/alpha';
import { screen } from '@testing-library/react';
import { TECHDOCS_NOT_BUILT_NOTE, techdocsNoteModule } from './index';

const BuilderNote = () => {
  const { t } = useTranslationRef(techdocsTranslationRef);
  return <p data-testid="note">{t('notFound.builderNote')}</p>;
};

describe('techdocsNoteModule', () => {
  it("replaces upstream's builder note with why Paved builds no docs and how to", async () => {
    await renderInTestApp(<BuilderNote />, { features: [techdocsNoteModule] });
    const note = await screen.findByTestId('note');
    expect(note).toHaveTextContent(TECHDOCS_NOT_BUILT_NOTE);
    expect(note).toHaveTextContent(/mkdocs-techdocs-core/);
  });

  it('is what upstream says without it', async () => {
    await renderInTestApp(<BuilderNote />);
    expect(await screen.findByTestId('note')).toHaveTextContent(
      /Note that techdocs.builder is not set to 'local'/,
    );
  });
});
