// Which files start the server and are sent to it.

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { documentSelector, normalizeGlob, SKILL_PATTERN } from "../src/selector";

describe("documentSelector", () => {
  it("covers every SKILL.md on disk by default", () => {
    assert.deepEqual(documentSelector(undefined), [{ scheme: "file", pattern: "**/SKILL.md" }]);
    assert.deepEqual(documentSelector([]), [{ scheme: "file", pattern: SKILL_PATTERN }]);
  });

  it("adds the extra globs, anchored anywhere when relative, without duplicates", () => {
    const selector = documentSelector(["drafts/*.md", "**/SKILL.md", "./skills/**/README.md", "", 3, "drafts/*.md"]);
    assert.deepEqual(
      selector.map((f) => f.pattern),
      ["**/SKILL.md", "**/drafts/*.md", "**/skills/**/README.md"],
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
