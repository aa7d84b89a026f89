export {
  techdocsNoteModule,
  TECHDOCS_NOT_BUILT_NOTE,
} from './techdocsNoteModule';
