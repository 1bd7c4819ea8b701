/**
 * The page's entry point, bundled into `/app.js` by `deno bundle`.
 *
 * @module
 */

import { startPage } from "./page.ts";

const root = document.getElementById("book");
if (root === null) {
  throw new TypeError("The page needs an element with id book: none found");
}
await startPage(root);
