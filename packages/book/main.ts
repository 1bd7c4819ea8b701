/**
 * `deno task book`: serves the live §5.1 page until interrupted; the same as
 * `nonlin book`.
 *
 * @module
 */

import { main } from "./cli.ts";

if (import.meta.main) Deno.exit(await main(Deno.args));
