// Loads the backend module at the path given in Deno.args[0], resolved
// against the working directory, and prints its backend name.
import { loadBackend } from "../mod.ts";

const m = await loadBackend(Deno.args[0]!);
// deno-lint-ignore no-console
console.log(m.backend.name);
