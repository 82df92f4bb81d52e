// The settings sent to the server: the shape of skill-lsp.toml, with entries
// the server would reject dropped and explained.

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { toServerSettings } from "../src/settings";

const from = (values: Record<string, unknown>) => toServerSettings((key) => values[key]);

describe("toServerSettings", () => {
  it("sends rule levels by upper-case code, and steps only when set", () => {
    const { settings, problems } = from({ rules: { sk104: "off", SK209: "Warning", SK114: "info" }, "workflow.steps": 7 });
    assert.deepEqual(problems, []);
    assert.deepEqual(settings, { rules: { SK104: "off", SK209: "warning", SK114: "information" }, workflow: { steps: 7 } });
  });

  it("sends no step count when the setting is empty, so skill-lsp.toml keeps its say", () => {
    assert.deepEqual(from({ rules: {}, "workflow.steps": null }).settings, { rules: {} });
    assert.deepEqual(from({}).settings, { rules: {} });
  });

  it("drops what is not a rule code or a level, and says why", () => {
    const { settings, problems } = from({ rules: { SK1: "off", foo: "error", SK102: "loud", SK103: 3, SK104: "off" } });
    assert.deepEqual(settings.rules, { SK104: "off" });
    assert.equal(problems.length, 4);
    assert.match(problems[0], /"SK1" is not a rule code/);
    assert.ok(problems.some((p) => p.includes('"loud" is not one of error, warning, information, off')));
  });

  it("rejects step counts outside 1 to 100 and fractions", () => {
    for (const steps of [0, 101, 2.5, "6"]) {
      const { settings, problems } = from({ "workflow.steps": steps });
      assert.equal(settings.workflow, undefined, String(steps));
      assert.equal(problems.length, 1);
      assert.match(problems[0], /workflow\.steps must be a whole number from 1 to 100/);
    }
  });

  it("sends the profile unless it is auto, so skill-lsp.toml and the skill keep their say", () => {
    assert.deepEqual(from({ profile: "agentskills" }).settings, { profile: "agentskills", rules: {} });
    assert.deepEqual(from({ profile: "auto" }).settings, { rules: {} });
    const { settings, problems } = from({ profile: "standard-ish" });
    assert.deepEqual(settings, { rules: {} });
    assert.match(problems[0], /skillLsp\.profile must be one of auto, workflow, agentskills/);
  });

  it("sends the clients when set, and drops a list naming no client", () => {
    assert.deepEqual(from({ clients: ["codex", "copilot"] }).settings, { clients: ["codex", "copilot"], rules: {} });
    assert.deepEqual(from({ clients: null }).settings, { rules: {} });
    for (const clients of [["zed"], "codex", [3]]) {
      const { settings, problems } = from({ clients });
      assert.deepEqual(settings, { rules: {} });
      assert.match(problems[0], /skillLsp\.clients must list clients among claude-code, copilot, codex, cursor, gemini/);
    }
  });

  it("reports rules that are not a map", () => {
    for (const rules of [["SK104"], "SK104=off", 5]) {
      const { settings, problems } = from({ rules });
      assert.deepEqual(settings.rules, {});
      assert.match(problems[0], /must map rule codes to levels/);
    }
  });
});
