import { ModuleCatalog } from './ModuleCatalog';

/**
 * The module catalogue, read on first use and kept; read again after a
 * failed read, so that a directory fixed later is found.
 */
export class ModuleCatalogLoader {
  readonly #modulesDir: string;
  #catalog?: Promise<ModuleCatalog>;

  constructor(options: { modulesDir: string }) {
    this.#modulesDir = options.modulesDir;
  }

  load(): Promise<ModuleCatalog> {
    if (!this.#catalog) {
      this.#catalog = ModuleCatalog.load(this.#modulesDir).catch(error => {
        this.#catalog = undefined;
        throw error;
      });
    }
    return this.#catalog;
  }
}
