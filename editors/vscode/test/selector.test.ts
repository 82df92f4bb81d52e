// Which files start the server and are sent to it.

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  documentSelector,
  INTERFACE_PATTERN,
  isInterfaceDocument,
  isNamedSkill,
  normalizeGlob,
  sentLanguageId,
  SKILL_LANGUAGE_ID,
  SKILL_PATTERN,
  withLanguageId,
} from "../src/selector";

describe("documentSelector", () => {
  it("covers every SKILL.md and interface document on disk and every file VS Code calls `skill`, by default", () => {
    const skill = { scheme: "file", language: "skill" };
    const files = [
      { scheme: "file", pattern: "**/SKILL.md" },
      { scheme: "file", pattern: "**/interfaces/*.md" },
    ];
    assert.deepEqual(documentSelector(undefined), [...files, skill]);
    assert.deepEqual(documentSelector([]), [
      { scheme: "file", pattern: SKILL_PATTERN },
      { scheme: "file", pattern: INTERFACE_PATTERN },
      skill,
    ]);
  });

  it("adds the extra globs, anchored anywhere when relative, without duplicates", () => {
    const selector = documentSelector(["drafts/*.md", "**/SKILL.md", "./skills/**/README.md", "", 3, "drafts/*.md"]);
    assert.deepEqual(
      selector.map((f) => f.pattern ?? `language:${f.language}`),
      ["**/SKILL.md", "**/interfaces/*.md", "**/drafts/*.md", "**/skills/**/README.md", "language:skill"],
    );
    assert.ok(selector.every((f) => f.scheme === "file"));
  });
});

describe("normalizeGlob", () => {
  it("keeps absolute and ** globs, turns backslashes into slashes", () => {
    assert.equal(normalizeGlob("/srv/skills/*.md"), "/srv/skills/*.md");
    assert.equal(normalizeGlob("**/x.md"), "**/x.md");
    assert.equal(normalizeGlob("C:\\skills\\*.md"), "C:/skills/*.md");
    assert.equal(normalizeGlob("drafts\\*.md"), "**/drafts/*.md");
    assert.equal(normalizeGlob("   "), null);
  });
});

describe("documents opened through an extra glob", () => {
  it("are recognised by name only when called SKILL.md", () => {
    assert.ok(isNamedSkill("/work/skills/fastapi/SKILL.md"));
    assert.ok(isNamedSkill("C:\\work\\skills\\fastapi\\skill.md"));
    assert.ok(!isNamedSkill("/work/drafts/fastapi.md"));
    assert.ok(!isNamedSkill("/work/SKILL.md.bak"));
  });

  it("keep their language id when SKILL.md or an interface document, else are sent as `skill`", () => {
    assert.ok(isInterfaceDocument("/work/skills-root/interfaces/memory_store.md"));
    assert.ok(isInterfaceDocument("C:\\work\\root\\interfaces\\Skill_Invoker.MD"));
    assert.ok(!isInterfaceDocument("/work/skills-root/interfaces/adapters/x.md"));
    assert.ok(!isInterfaceDocument("/work/skills-root/interfaces/LICENSE"));
    assert.equal(sentLanguageId("/work/skills-root/interfaces/memory_store.md", "markdown"), "markdown");
    assert.equal(sentLanguageId("/work/skills/a/SKILL.md", "skill"), "skill");
    assert.equal(sentLanguageId("/work/skills/a/SKILL.md", "markdown"), "markdown");
    assert.equal(sentLanguageId("/work/drafts/fastapi.md", "markdown"), SKILL_LANGUAGE_ID);
  });

  it("are sent with the skill language id, everything else unchanged", () => {
    class Doc {
      readonly languageId = "markdown";
      readonly fileName = "/work/drafts/fastapi.md";
      #text = "---\nname: fastapi\n---\n";
      getText(): string {
        return this.#text;
      }
    }
    const doc = new Doc();
    const seen = withLanguageId(doc, SKILL_LANGUAGE_ID);
    assert.equal(seen.languageId, "skill");
    assert.equal(seen.fileName, doc.fileName);
    // Methods still run against the real document (private fields work).
    assert.equal(seen.getText(), "---\nname: fastapi\n---\n");
    assert.equal(doc.languageId, "markdown");
  });
});
