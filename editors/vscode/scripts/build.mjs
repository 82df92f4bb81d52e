// Builds the extension: bundles src/extension.ts (with vscode-languageclient)
// into dist/extension.js with esbuild, and copies the front matter schema from
// the repository's schemas/ folder (its single source) into schemas/.
//
//   node scripts/build.mjs               development build (source maps)
//   node scripts/build.mjs --production  minified, as packaged in the .vsix
//   node scripts/build.mjs --tests       also bundles test/*.test.ts into out/test/

import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = new Set(process.argv.slice(2));
const production = args.has("--production");

// The schema: one copy in git (schemas/skill.schema.json at the repository
// root), copied here for the manifest's yamlValidation and the package.
const schemaSource = resolve(root, "../../schemas/skill.schema.json");
if (!existsSync(schemaSource)) {
  console.error(`build: ${schemaSource} not found; build the extension from inside the skill-lsp repository`);
  process.exit(1);
}
mkdirSync(join(root, "schemas"), { recursive: true });
copyFileSync(schemaSource, join(root, "schemas/skill.schema.json"));

rmSync(join(root, "dist"), { recursive: true, force: true });
await esbuild.build({
  absWorkingDir: root,
  entryPoints: ["src/extension.ts"],
  outfile: "dist/extension.js",
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node18",
  external: ["vscode"],
  minify: production,
  sourcemap: production ? false : "linked",
  logLevel: "warning",
});

if (args.has("--tests")) {
  rmSync(join(root, "out"), { recursive: true, force: true });
  const tests = readdirSync(join(root, "test"))
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => `test/${f}`);
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: tests,
    outdir: "out/test",
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node18",
    external: ["vscode"],
    sourcemap: "inline",
    logLevel: "warning",
  });
}
console.log(`build: dist/extension.js${production ? " (production)" : ""}${args.has("--tests") ? " and out/test" : ""}`);
