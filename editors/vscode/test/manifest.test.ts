// The manifest (package.json) and the package agree with the code: the
// commands the extension registers, the settings it reads, the schema it
// ships (the repository's own), and the files that go into the .vsix.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";

import { COMMANDS, RESTART_SETTINGS, SECTION, SERVER_SETTINGS } from "../src/ids";

// Tests run from out/test/.
const root = resolve(__dirname, "../..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const properties: Record<string, Record<string, unknown>> = manifest.contributes.configuration.properties;

describe("package.json", () => {
  it("contributes exactly the commands the extension registers, with titles", () => {
    const declared = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual(declared, Object.values(COMMANDS).sort());
    for (const c of manifest.contributes.commands) {
      assert.equal(c.category, "Skill LSP");
      assert.ok(c.title.length > 0);
    }
    assert.deepEqual(
      manifest.contributes.commands.map((c: { title: string }) => c.title).sort(),
      ["Restart server", "Show server log"],
    );
  });

  it("declares every setting the extension reads, and no other", () => {
    const read = [...RESTART_SETTINGS, ...SERVER_SETTINGS, "trace.server"].map((k) => `${SECTION}.${k}`).sort();
    assert.deepEqual(Object.keys(properties).sort(), read);
    assert.equal(properties["skillLsp.server.path"].default, "");
    // machine and machine-overridable settings are read only from the remote
    // machine's settings in a remote window: a User setting would be ignored.
    assert.equal(properties["skillLsp.server.path"].scope, "window");
    // A workspace may not pick the binary VS Code runs until it is trusted.
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, ["skillLsp.server.path"]);
    // An unset step count must not override skill-lsp.toml.
    assert.equal(properties["skillLsp.workflow.steps"].default, null);
  });

  it("offers the rule levels the server accepts", () => {
    const levels = (properties["skillLsp.rules"].additionalProperties as { enum: string[] }).enum;
    assert.deepEqual(levels, ["error", "warning", "information", "off"]);
  });

  it("activates on skills and starts from the bundle", () => {
    assert.ok(manifest.activationEvents.includes("workspaceContains:**/SKILL.md"));
    // VS Code 1.139+ opens SKILL.md as language `skill`: a SKILL.md opened
    // alone, or created in a folder that had none, activates through it.
    assert.ok(manifest.activationEvents.includes("onLanguage:skill"));
    assert.equal(manifest.main, "./dist/extension.js");
    assert.ok(existsSync(join(root, manifest.main)), "run the build first");
    assert.equal(manifest.license, "MIT");
    assert.ok(existsSync(join(root, "LICENSE")));
  });
});

describe("front matter schema", () => {
  it("is the repository's schemas/skill.schema.json, copied at build time", () => {
    const entry = manifest.contributes.yamlValidation[0];
    assert.ok(entry.fileMatch.includes("**/SKILL.md"));
    const shipped = readFileSync(join(root, entry.url), "utf8");
    const source = readFileSync(resolve(root, "../../schemas/skill.schema.json"), "utf8");
    assert.equal(shipped, source);
    const schema = JSON.parse(shipped);
    assert.ok(schema.properties.name, "the schema describes `name`");
  });
});

describe(".vsix contents", () => {
  it("holds the bundle, the schema, the README and the licence, and no sources or node_modules", () => {
    const vsce = join(root, "node_modules/@vscode/vsce/vsce");
    const listed = execFileSync(process.execPath, [vsce, "ls", "--no-dependencies"], { cwd: root, encoding: "utf8" })
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== "")
      .sort();
    assert.deepEqual(listed, ["LICENSE", "README.md", "dist/extension.js", "package.json", "schemas/skill.schema.json"]);
  });
});
