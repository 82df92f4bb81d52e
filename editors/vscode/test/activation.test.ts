// The built extension (dist/extension.js) activated against a stand-in for
// the `vscode` module: it registers its commands, starts nothing until a
// skill is open, and when the server cannot be found says so with a way to
// the install instructions and to the setting.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import Module from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";

const root = resolve(__dirname, "../..");
const bundle = join(root, "dist/extension.js");

interface Doc {
  fileName: string;
  languageId?: string;
  uri: { fsPath: string; scheme: string };
}

interface Filter {
  scheme?: string;
  pattern?: string;
  language?: string;
}

/** What the extension did to the stand-in VS Code. */
class FakeVscode {
  commands = new Map<string, (...args: unknown[]) => unknown>();
  errors: { message: string; items: string[] }[] = [];
  executed: unknown[][] = [];
  logLines: string[] = [];
  logShown = 0;
  settings = new Map<string, unknown>([
    ["server.path", ""],
    ["files.include", []],
    ["rules", {}],
    ["workflow.steps", null],
  ]);
  docs: Doc[] = [];
  /** The button the user "clicks" on an error message. */
  answer: string | undefined;

  module(): unknown {
    const disposable = { dispose() {} };
    const api = {
      window: {
        createOutputChannel: () => ({
          name: "Skill LSP",
          appendLine: (line: string) => this.logLines.push(line),
          append: (text: string) => this.logLines.push(text),
          show: () => {
            this.logShown += 1;
          },
          clear() {},
          hide() {},
          replace() {},
          dispose() {},
        }),
        showErrorMessage: async (message: string, ...items: string[]) => {
          this.errors.push({ message, items });
          return this.answer;
        },
        showWarningMessage: async () => undefined,
      },
      commands: {
        registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
          this.commands.set(id, fn);
          return disposable;
        },
        executeCommand: async (...args: unknown[]) => {
          this.executed.push(args);
        },
      },
      workspace: {
        getConfiguration: () => ({ get: (key: string) => this.settings.get(key) }),
        textDocuments: this.docs,
        workspaceFolders: undefined,
        onDidOpenTextDocument: () => disposable,
        onDidChangeConfiguration: () => disposable,
      },
      languages: {
        // Enough of VS Code's matching for the extension's selector: the
        // `**/SKILL.md` and `**/interfaces/*.md` patterns and language filters.
        match: (selector: Filter[], doc: Doc) =>
          selector.some(
            (f) =>
              (f.scheme === undefined || f.scheme === doc.uri.scheme) &&
              (f.pattern === undefined ||
                (f.pattern === "**/SKILL.md" && doc.fileName.endsWith("/SKILL.md")) ||
                (f.pattern === "**/interfaces/*.md" && /\/interfaces\/[^/]+\.md$/.test(doc.fileName))) &&
              (f.language === undefined || f.language === doc.languageId),
          )
            ? 10
            : 0,
      },
      Uri: {
        joinPath: (base: { fsPath: string }, ...parts: string[]) => ({ fsPath: [base.fsPath, ...parts].join("/") }),
        parse: (s: string) => ({ fsPath: s }),
      },
      Position: class {
        constructor(
          readonly line: number,
          readonly character: number,
        ) {}
      },
      Range: class {
        constructor(
          readonly start: unknown,
          readonly end: unknown,
        ) {}
      },
      Location: class {
        constructor(
          readonly uri: unknown,
          readonly range: unknown,
        ) {}
      },
    };
    // vscode-languageclient touches more of the API when it loads; anything
    // else is an inert class.
    return new Proxy(api, {
      get: (target, name) => (name in target ? target[name as keyof typeof target] : class {}),
    });
  }
}

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const moduleWithLoad = Module as unknown as { _load: Loader };
const originalLoad = moduleWithLoad._load;

function load(fake: FakeVscode): {
  activate(context: unknown): void;
  deactivate(): Promise<void> | undefined;
} {
  const vscode = fake.module();
  moduleWithLoad._load = (request, parent, isMain) =>
    request === "vscode" ? vscode : originalLoad(request, parent, isMain);
  delete require.cache[bundle];
  return require(bundle);
}

function context(): { subscriptions: { dispose(): void }[]; extensionUri: { fsPath: string } } {
  return { subscriptions: [], extensionUri: { fsPath: "/ext" } };
}

async function until(what: string, predicate: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!predicate()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("activation", () => {
  let emptyDir = "";
  let savedPath: string | undefined;

  beforeEach(() => {
    // A PATH with no skill-lsp on it.
    emptyDir = mkdtempSync(join(tmpdir(), "skill-lsp-vscode-"));
    savedPath = process.env.PATH;
    process.env.PATH = emptyDir;
  });

  afterEach(() => {
    moduleWithLoad._load = originalLoad;
    process.env.PATH = savedPath;
    rmSync(emptyDir, { recursive: true, force: true });
  });

  it("registers the restart and log commands, and starts nothing without a skill open", async () => {
    const fake = new FakeVscode();
    fake.docs.push({ fileName: "/work/README.md", uri: { fsPath: "/work/README.md", scheme: "file" } });
    const ext = load(fake);
    const ctx = context();
    ext.activate(ctx);
    assert.deepEqual(
      [...fake.commands.keys()].sort(),
      ["skill-lsp.showReferences", "skillLsp.restartServer", "skillLsp.showServerLog"],
    );
    assert.ok(ctx.subscriptions.length >= 5);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(fake.errors, []);
    await fake.commands.get("skillLsp.showServerLog")!();
    assert.equal(fake.logShown, 1);
    await ext.deactivate();
  });

  it("lists the uses a lens names in VS Code's references peek, at the lens", async () => {
    const fake = new FakeVscode();
    const ext = load(fake);
    ext.activate(context());
    const doc = "file:///w/interfaces/memory_store.md";
    const use = { uri: "file:///w/skills/a/SKILL.md", range: { start: { line: 9, character: 4 }, end: { line: 9, character: 18 } } };
    await fake.commands.get("skill-lsp.showReferences")!(doc, { line: 3, character: 0 }, [use]);
    assert.deepEqual(JSON.parse(JSON.stringify(fake.executed)), [
      [
        "editor.action.showReferences",
        { fsPath: doc },
        { line: 3, character: 0 },
        [{ uri: { fsPath: use.uri }, range: use.range }],
      ],
    ]);
    await ext.deactivate();
  });

  it("starts the server for an interface document alone", async () => {
    const fake = new FakeVscode();
    const path = "/work/root/interfaces/memory_store.md";
    fake.docs.push({ fileName: path, languageId: "markdown", uri: { fsPath: path, scheme: "file" } });
    const ext = load(fake);
    ext.activate(context());
    // No server on PATH here: the attempt to start one says so.
    await until("the error message", () => fake.errors.length > 0);
    assert.match(fake.errors[0].message, /skill-lsp language server was not found on PATH/);
    await ext.deactivate();
  });

  it("with a skill open and no server on PATH, points to the install instructions", async () => {
    const fake = new FakeVscode();
    fake.docs.push({ fileName: "/work/skills/x/SKILL.md", uri: { fsPath: "/work/skills/x/SKILL.md", scheme: "file" } });
    fake.answer = "Installation instructions";
    const ext = load(fake);
    ext.activate(context());
    await until("the error message", () => fake.executed.length > 0);
    assert.equal(fake.errors.length, 1);
    assert.match(fake.errors[0].message, /skill-lsp language server was not found on PATH/);
    assert.deepEqual(fake.errors[0].items, ["Installation instructions", "Set server path"]);
    assert.deepEqual(fake.executed[0], ["markdown.showPreview", { fsPath: "/ext/README.md" }]);
    assert.ok(fake.logLines.some((l) => l.includes(join(emptyDir, "skill-lsp"))), fake.logLines.join("\n"));
    await ext.deactivate();
  });

  it("starts for a file VS Code gives the language id skill, whatever its name", async () => {
    const fake = new FakeVscode();
    fake.docs.push({ fileName: "/work/notes/agent.md", languageId: "skill", uri: { fsPath: "/work/notes/agent.md", scheme: "file" } });
    const ext = load(fake);
    ext.activate(context());
    // No server on PATH: starting is what reports it.
    await until("the error message", () => fake.errors.length > 0);
    assert.match(fake.errors[0].message, /not found on PATH/);
    await ext.deactivate();
  });

  it("with a server path that leads nowhere, opens the setting", async () => {
    const fake = new FakeVscode();
    fake.settings.set("server.path", "/nowhere/skill-lsp");
    fake.docs.push({ fileName: "/work/skills/x/SKILL.md", uri: { fsPath: "/work/skills/x/SKILL.md", scheme: "file" } });
    fake.answer = "Set server path";
    const ext = load(fake);
    ext.activate(context());
    await until("the error message", () => fake.executed.length > 0);
    assert.match(fake.errors[0].message, /skillLsp\.server\.path points to \/nowhere\/skill-lsp/);
    assert.deepEqual(fake.executed[0], ["workbench.action.openSettings", "skillLsp.server.path"]);
    // Restart asks again (once), after the user had a chance to fix it.
    await fake.commands.get("skillLsp.restartServer")!();
    await until("the second error message", () => fake.errors.length === 2);
    await ext.deactivate();
  });
});
