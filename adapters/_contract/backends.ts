/**
 * Loading every built-in backend for the contract suite, the way
 * tfjs's describeWithFlags runs one suite per registered backend.
 *
 * @module
 */

import { type BackendModule } from "@nonlin/core";
import { backendNames, loadBackend, peerBackendNames } from "@nonlin/backends";

/** A built-in backend as the suite sees it. */
export interface LoadedBackend {
  /** Its name in {@linkcode backendNames}. */
  readonly name: string;
  /** The module, when it imported. */
  readonly module?: BackendModule;
  /**
   * Why the suite cannot run it: only when the backend's module is not in
   * the working tree at all. Any other import error fails the suite.
   */
  readonly missing?: string;
}

/** Imports every built-in backend, in {@linkcode backendNames} order. */
export async function loadBackends(): Promise<LoadedBackend[]> {
  const loaded: LoadedBackend[] = [];
  for (const name of [...backendNames, ...peerBackendNames]) {
    try {
      loaded.push({ name, module: await loadBackend(name) });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/Module not found|Cannot find module/i.test(message)) {
        loaded.push({
          name,
          missing: `its module is not in this working tree: ${message}`,
        });
      } else {
        throw error;
      }
    }
  }
  return loaded;
}
