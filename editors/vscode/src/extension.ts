// The VS Code extension: starts skill-lsp for skill files and passes it the
// settings. Everything else (diagnostics, quick fixes, completion, hover,
// definitions) is the server's.

import * as fs from "node:fs";
import * as os from "node:os";
import * as vscode from "vscode";
import {
  ConfigurationParams,
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
} from "vscode-languageclient/node";

import { COMMANDS, RESTART_SETTINGS, SECTION, SERVER_SETTINGS, SHOW_REFERENCES } from "./ids";
import { documentSelector, FileFilter, sentLanguageId, withLanguageId } from "./selector";
import { bundledServerPath, describeSource, resolveServer, ResolveEnv } from "./serverPath";
import { ServerSettings, toServerSettings } from "./settings";

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    if (process.platform !== "win32") {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

function resolveEnv(extensionPath: string): ResolveEnv {
  return {
    platform: process.platform,
    pathEnv: process.env.PATH ?? process.env.Path,
    pathExt: process.env.PATHEXT,
    home: os.homedir(),
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    bundled: bundledServerPath(extensionPath, process.platform),
    isExecutable,
  };
}

class SkillLsp {
  private client: LanguageClient | undefined;
  private selector: FileFilter[] = [];
  private busy: Promise<void> = Promise.resolve();
  private lastProblems = "";
  /** Set when the server was not found: opening more skills does not ask again until a restart. */
  private missing = false;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.OutputChannel,
  ) {}

  /** The settings for the server, reporting entries it would reject. */
  serverSettings(scope?: vscode.Uri): ServerSettings {
    const config = vscode.workspace.getConfiguration(SECTION, scope);
    const { settings, problems } = toServerSettings((key) => config.get(key));
    const text = problems.join("\n");
    if (text !== "" && text !== this.lastProblems) {
      this.output.appendLine(text);
      void vscode.window.showWarningMessage(`Skill LSP settings: ${problems[0]}`);
    }
    this.lastProblems = text;
    return settings;
  }

  /** Runs one start/stop at a time, in order. */
  private queue(job: () => Promise<void>): Promise<void> {
    this.busy = this.busy.then(job, job).catch((err: unknown) => {
      this.output.appendLine(`Skill LSP: ${err instanceof Error ? err.message : String(err)}`);
    });
    return this.busy;
  }

  private isSkill(doc: vscode.TextDocument): boolean {
    return vscode.languages.match(this.selector, doc) > 0;
  }

  /** Starts the server when a skill file is open and none runs yet. */
  startIfSkillOpen(): Promise<void> {
    this.selector = documentSelector(vscode.workspace.getConfiguration(SECTION).get<unknown[]>("files.include"));
    if (this.client !== undefined || this.missing || !vscode.workspace.textDocuments.some((d) => this.isSkill(d))) {
      return Promise.resolve();
    }
    return this.queue(() => this.start());
  }

  onOpen(doc: vscode.TextDocument): void {
    if (this.client === undefined && !this.missing && this.isSkill(doc)) {
      void this.queue(() => this.start());
    }
  }

  restart(): Promise<void> {
    this.selector = documentSelector(vscode.workspace.getConfiguration(SECTION).get<unknown[]>("files.include"));
    return this.queue(async () => {
      await this.stop();
      this.missing = false;
      await this.start();
    });
  }

  stopAll(): Promise<void> {
    return this.queue(() => this.stop());
  }

  sendSettings(): void {
    const client = this.client;
    if (client !== undefined && client.isRunning()) {
      void client.sendNotification(DidChangeConfigurationNotification.type, {
        settings: { [SECTION]: this.serverSettings() },
      });
    }
  }

  private async start(): Promise<void> {
    if (this.client !== undefined) {
      return;
    }
    const setting = vscode.workspace.getConfiguration(SECTION).get<string>("server.path");
    const found = resolveServer(setting, resolveEnv(this.context.extensionUri.fsPath));
    if (found.kind === "missing") {
      this.missing = true;
      this.output.appendLine(found.message);
      if (found.tried.length > 0) {
        this.output.appendLine(`Looked for: ${found.tried.join(", ")}`);
      }
      void this.reportMissing(found.message);
      return;
    }
    this.output.appendLine(`Starting ${found.command} (from ${describeSource(found.source)})`);
    const serverOptions: ServerOptions = { command: found.command, args: [] };
    const clientOptions: LanguageClientOptions = {
      documentSelector: this.selector,
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: this.serverSettings(),
      middleware: {
        // Files matched by skillLsp.files.include are checked as skills;
        // SKILL.md and interface documents keep their language id.
        didOpen: (doc, next) => {
          const languageId = sentLanguageId(doc.fileName, doc.languageId);
          return next(languageId === doc.languageId ? doc : withLanguageId(doc, languageId));
        },
        workspace: {
          // The server registers for didChangeConfiguration, and the client
          // library then sends one (without settings) on every change of any
          // setting; sendSettings already sends one, with the settings, when
          // a skillLsp setting changes. One notification per change.
          didChangeConfiguration: async () => undefined,
          configuration: async (params: ConfigurationParams, token, next) => {
            const answers = params.items.some((item) => item.section !== SECTION) ? await next(params, token) : [];
            if (!Array.isArray(answers)) {
              return answers;
            }
            return params.items.map((item, i) =>
              item.section === SECTION
                ? this.serverSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined)
                : answers[i],
            );
          },
        },
      },
    };
    const client = new LanguageClient(SECTION, "Skill LSP", serverOptions, clientOptions);
    this.client = client;
    try {
      await client.start();
    } catch (err) {
      this.client = undefined;
      const message = err instanceof Error ? err.message : String(err);
      this.output.appendLine(`The server failed to start: ${message}`);
      void vscode.window.showErrorMessage(`Skill LSP: the server (${found.command}) failed to start: ${message}`, "Show server log").then(
        (choice) => {
          if (choice !== undefined) {
            this.output.show(true);
          }
        },
      );
    }
  }

  private async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client === undefined) {
      return;
    }
    try {
      await client.stop(5000);
    } catch (err) {
      this.output.appendLine(`Stopping the server: ${err instanceof Error ? err.message : String(err)}`);
    }
    await client.dispose().catch(() => undefined);
  }

  private async reportMissing(message: string): Promise<void> {
    const instructions = "Installation instructions";
    const setPath = "Set server path";
    const choice = await vscode.window.showErrorMessage(message, instructions, setPath);
    if (choice === instructions) {
      const readme = vscode.Uri.joinPath(this.context.extensionUri, "README.md");
      await vscode.commands.executeCommand("markdown.showPreview", readme);
    } else if (choice === setPath) {
      await vscode.commands.executeCommand("workbench.action.openSettings", `${SECTION}.server.path`);
    }
  }
}

/** An LSP position or range as the server sends it in a command's arguments. */
interface LspPosition {
  line: number;
  character: number;
}
interface LspLocation {
  uri: string;
  range: { start: LspPosition; end: LspPosition };
}

function toPosition(p: LspPosition): vscode.Position {
  return new vscode.Position(p.line, p.character);
}

/** The lens's uses, shown in VS Code's references peek at the lens. */
async function showReferences(uri: string, position: LspPosition, locations: LspLocation[]): Promise<void> {
  const places = (locations ?? []).map(
    (l) => new vscode.Location(vscode.Uri.parse(l.uri), new vscode.Range(toPosition(l.range.start), toPosition(l.range.end))),
  );
  await vscode.commands.executeCommand("editor.action.showReferences", vscode.Uri.parse(uri), toPosition(position), places);
}

let extension: SkillLsp | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel("Skill LSP");
  const ext = new SkillLsp(context, output);
  extension = ext;
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand(COMMANDS.restartServer, () => ext.restart()),
    vscode.commands.registerCommand(COMMANDS.showServerLog, () => output.show(true)),
    vscode.commands.registerCommand(SHOW_REFERENCES, showReferences),
    vscode.workspace.onDidOpenTextDocument((doc) => ext.onOpen(doc)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (RESTART_SETTINGS.some((key) => e.affectsConfiguration(`${SECTION}.${key}`))) {
        void ext.restart();
      } else if (SERVER_SETTINGS.some((key) => e.affectsConfiguration(`${SECTION}.${key}`))) {
        ext.sendSettings();
      }
    }),
  );
  void ext.startIfSkillOpen();
}

export function deactivate(): Promise<void> | undefined {
  return extension?.stopAll();
}
