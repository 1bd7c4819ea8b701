/**
 * A test module that throws while it is imported, as a backend whose engine
 * fails to initialise would.
 *
 * @module
 */

throw new Error("engine failed to initialise: no such device");
