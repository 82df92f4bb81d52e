// Finding the server binary: the setting first, then PATH, with a message
// that says what to do when neither has it.

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { bundledServerPath, describeSource, expandSettingPath, pathCandidates, resolveServer, ResolveEnv } from "../src/serverPath";

function posixEnv(executables: string[], extra: Partial<ResolveEnv> = {}): ResolveEnv {
  const files = new Set(executables);
  return {
    platform: "linux",
    pathEnv: "/usr/local/bin:/home/me/.cargo/bin:/usr/bin",
    home: "/home/me",
    workspaceFolder: "/work/skills-repo",
    isExecutable: (f) => files.has(f),
    ...extra,
  };
}

describe("resolveServer", () => {
  it("uses the setting when it names an executable file", () => {
    const r = resolveServer("/opt/skill-lsp/bin/skill-lsp", posixEnv(["/opt/skill-lsp/bin/skill-lsp", "/usr/bin/skill-lsp"]));
    assert.deepEqual(r, { kind: "found", command: "/opt/skill-lsp/bin/skill-lsp", source: "setting" });
  });

  it("says so when the setting points at nothing, rather than falling back to PATH", () => {
    const r = resolveServer("/nowhere/skill-lsp", posixEnv(["/usr/bin/skill-lsp"]));
    assert.equal(r.kind, "missing");
    assert.match(r.kind === "missing" ? r.message : "", /skillLsp\.server\.path points to \/nowhere\/skill-lsp/);
    assert.deepEqual(r.kind === "missing" ? r.tried : [], ["/nowhere/skill-lsp"]);
  });

  it("expands ~, ${userHome} and ${workspaceFolder}, and resolves relative paths from the workspace", () => {
    const env = posixEnv([
      "/home/me/.cargo/bin/skill-lsp",
      "/work/skills-repo/target/release/skill-lsp",
      "/work/skills-repo/bin/skill-lsp",
    ]);
    assert.equal(resolveServer("~/.cargo/bin/skill-lsp", env).kind, "found");
    assert.equal(resolveServer("${userHome}/.cargo/bin/skill-lsp", env).kind, "found");
    const ws = resolveServer("${workspaceFolder}/target/release/skill-lsp", env);
    assert.deepEqual(ws, { kind: "found", command: "/work/skills-repo/target/release/skill-lsp", source: "setting" });
    const rel = resolveServer("bin/skill-lsp", env);
    assert.deepEqual(rel, { kind: "found", command: "/work/skills-repo/bin/skill-lsp", source: "setting" });
  });

  it("explains ${workspaceFolder} with no folder open", () => {
    const r = resolveServer("${workspaceFolder}/skill-lsp", posixEnv([], { workspaceFolder: undefined }));
    assert.equal(r.kind, "missing");
    assert.match(r.kind === "missing" ? r.message : "", /no folder is open/);
  });

  it("takes the first skill-lsp on PATH when the setting is empty", () => {
    const env = posixEnv(["/home/me/.cargo/bin/skill-lsp", "/usr/bin/skill-lsp"]);
    assert.deepEqual(resolveServer("", env), { kind: "found", command: "/home/me/.cargo/bin/skill-lsp", source: "PATH" });
    assert.deepEqual(resolveServer("   ", env), { kind: "found", command: "/home/me/.cargo/bin/skill-lsp", source: "PATH" });
    assert.deepEqual(resolveServer(undefined, env), { kind: "found", command: "/home/me/.cargo/bin/skill-lsp", source: "PATH" });
  });

  it("says how to install the server when PATH has none, listing where it looked", () => {
    const r = resolveServer("", posixEnv([]));
    assert.equal(r.kind, "missing");
    if (r.kind === "missing") {
      assert.match(r.message, /not found on PATH/);
      assert.match(r.message, /pip install skill-lsp/);
      assert.match(r.message, /skillLsp\.server\.path/);
      assert.deepEqual(r.tried, ["/usr/local/bin/skill-lsp", "/home/me/.cargo/bin/skill-lsp", "/usr/bin/skill-lsp"]);
    }
    assert.equal(resolveServer("", posixEnv([], { pathEnv: undefined })).kind, "missing");
  });
});

describe("the bundled server", () => {
  const bundled = "/home/me/.vscode/extensions/skill-lsp.skill-lsp-0.1.0-linux-x64/server/skill-lsp";

  it("comes after the setting: a set path wins over the bundled binary", () => {
    const r = resolveServer("/opt/skill-lsp", posixEnv(["/opt/skill-lsp", bundled], { bundled }));
    assert.deepEqual(r, { kind: "found", command: "/opt/skill-lsp", source: "setting" });
  });

  it("comes before PATH when the setting is empty", () => {
    const r = resolveServer("", posixEnv([bundled, "/usr/bin/skill-lsp"], { bundled }));
    assert.deepEqual(r, { kind: "found", command: bundled, source: "bundled" });
  });

  it("is skipped when the .vsix carries none (a universal package): PATH is next", () => {
    const r = resolveServer("", posixEnv(["/usr/bin/skill-lsp"], { bundled }));
    assert.deepEqual(r, { kind: "found", command: "/usr/bin/skill-lsp", source: "PATH" });
  });

  it("does not stand in for a setting that points at nothing", () => {
    const r = resolveServer("/nowhere/skill-lsp", posixEnv([bundled], { bundled }));
    assert.equal(r.kind, "missing");
  });

  it("lives in server/ of the extension folder, with .exe on Windows", () => {
    assert.equal(bundledServerPath("/ext", "linux"), "/ext/server/skill-lsp");
    assert.equal(bundledServerPath("C:\\ext", "win32"), "C:\\ext\\server\\skill-lsp.exe");
  });

  it("is named in the log by where it came from", () => {
    assert.equal(describeSource("setting"), "skillLsp.server.path");
    assert.equal(describeSource("bundled"), "the server bundled with the extension");
    assert.equal(describeSource("PATH"), "PATH");
  });
});

describe("Windows", () => {
  const env = (executables: string[]): ResolveEnv => ({
    platform: "win32",
    pathEnv: 'C:\\Windows\\System32;"C:\\Users\\me\\.cargo\\bin";;',
    pathExt: ".COM;.EXE;.BAT;.CMD",
    home: "C:\\Users\\me",
    workspaceFolder: "C:\\work\\skills",
    isExecutable: (f) => executables.includes(f),
  });

  it("splits PATH at semicolons, unquotes folders and tries each PATHEXT", () => {
    const tried = pathCandidates(env([]));
    assert.equal(tried.length, 8);
    assert.equal(tried[0], "C:\\Windows\\System32\\skill-lsp.com");
    assert.ok(tried.includes("C:\\Users\\me\\.cargo\\bin\\skill-lsp.exe"), tried.join(" "));
  });

  it("finds skill-lsp.exe and expands ~ with backslashes", () => {
    const exe = "C:\\Users\\me\\.cargo\\bin\\skill-lsp.exe";
    assert.deepEqual(resolveServer("", env([exe])), { kind: "found", command: exe, source: "PATH" });
    assert.equal(expandSettingPath("~\\.cargo\\bin\\skill-lsp.exe", env([])), exe);
    assert.equal(expandSettingPath("tools\\skill-lsp.exe", env([])), "C:\\work\\skills\\tools\\skill-lsp.exe");
  });
});
