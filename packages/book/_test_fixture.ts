// A served folder for the server tests: a secret beside it, and links to the
// secret (to a file, relatively, to a folder) and a dot file planted inside.

/** What no response may ever contain. */
export const SECRET = "top-secret-4f1d";

/** A served folder beside a secret file, with links to the secret planted inside. */
export async function fixture(): Promise<{ root: string; site: string }> {
  const root = await Deno.makeTempDir({ prefix: "nonlin-book-test-" });
  const site = `${root}/site`;
  await Deno.mkdir(`${site}/wasm`, { recursive: true });
  await Deno.mkdir(`${root}/private`);
  await Deno.writeTextFile(`${root}/secret.txt`, SECRET);
  await Deno.writeTextFile(`${root}/private/secret.txt`, SECRET);
  await Deno.writeTextFile(`${site}/index.html`, "<p>index</p>");
  await Deno.writeTextFile(`${site}/wasm/a.wasm`, "\0asm");
  await Deno.writeTextFile(`${site}/.hidden.txt`, SECRET);
  await Deno.symlink(`${root}/secret.txt`, `${site}/link.txt`);
  await Deno.symlink("../secret.txt", `${site}/relative.txt`);
  await Deno.symlink(`${root}/private`, `${site}/linked-dir`);
  return { root, site };
}
