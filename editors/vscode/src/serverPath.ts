// Finding the skill-lsp binary: the `skillLsp.server.path` setting, else the
// binary bundled in a platform-specific .vsix (`server/skill-lsp`), else
// `skill-lsp` on PATH. Pure: the file system and the environment come in as
// arguments, so the rules are unit-tested without VS Code.

import * as path from "node:path";

/** What the resolution may look at. */
export interface ResolveEnv {
  platform: NodeJS.Platform;
  /** The PATH environment variable. */
  pathEnv: string | undefined;
  /** PATHEXT on Windows (".COM;.EXE;.BAT;.CMD"). */
  pathExt?: string;
  home: string;
  /** The first workspace folder, for relative paths and `${workspaceFolder}`. */
  workspaceFolder?: string;
  /** Where a platform-specific .vsix puts its server (`<extension>/server/skill-lsp`); a universal .vsix has none there. */
  bundled?: string;
  /** Whether a regular, executable file is at this absolute path. */
  isExecutable(file: string): boolean;
}

export type Resolution =
  | { kind: "found"; command: string; source: ServerSource }
  | { kind: "missing"; message: string; tried: string[] };

/** Where the server came from, as the log says it. */
export type ServerSource = "setting" | "bundled" | "PATH";

/** The words the log uses for each source. */
export function describeSource(source: ServerSource): string {
  switch (source) {
    case "setting":
      return "skillLsp.server.path";
    case "bundled":
      return "the server bundled with the extension";
    case "PATH":
      return "PATH";
  }
}

/** The bundled server's path inside the extension folder. */
export function bundledServerPath(extensionPath: string, platform: NodeJS.Platform): string {
  const name = platform === "win32" ? `${SERVER_NAME}.exe` : SERVER_NAME;
  return pathApi(platform).join(extensionPath, "server", name);
}

/** The binary's name, without an extension. */
export const SERVER_NAME = "skill-lsp";

function pathApi(platform: NodeJS.Platform): path.PlatformPath {
  return platform === "win32" ? path.win32 : path.posix;
}

/** Expands `~`, `${userHome}` and `${workspaceFolder}`; null when the path names a workspace folder there is none of. */
export function expandSettingPath(value: string, env: ResolveEnv): string | null {
  let out = value.trim();
  if (out.includes("${workspaceFolder}")) {
    if (env.workspaceFolder === undefined) {
      return null;
    }
    out = out.split("${workspaceFolder}").join(env.workspaceFolder);
  }
  out = out.split("${userHome}").join(env.home);
  if (out === "~" || out.startsWith("~/") || out.startsWith("~\\")) {
    out = env.home + out.slice(1);
  }
  const p = pathApi(env.platform);
  if (!p.isAbsolute(out) && env.workspaceFolder !== undefined) {
    out = p.join(env.workspaceFolder, out);
  }
  return p.normalize(out);
}

/** The names the binary may have in a PATH folder. */
function candidateNames(env: ResolveEnv): string[] {
  if (env.platform !== "win32") {
    return [SERVER_NAME];
  }
  const exts = (env.pathExt ?? ".COM;.EXE;.BAT;.CMD")
    .split(";")
    .map((e) => e.trim())
    .filter((e) => e !== "");
  return exts.map((e) => SERVER_NAME + e.toLowerCase());
}

/** Every place `skill-lsp` is looked for on PATH, in order. */
export function pathCandidates(env: ResolveEnv): string[] {
  const p = pathApi(env.platform);
  const delimiter = env.platform === "win32" ? ";" : ":";
  const dirs = (env.pathEnv ?? "")
    .split(delimiter)
    .map((d) => d.trim().replace(/^"(.*)"$/, "$1"))
    .filter((d) => d !== "");
  const out: string[] = [];
  for (const dir of dirs) {
    for (const name of candidateNames(env)) {
      out.push(p.join(dir, name));
    }
  }
  return out;
}

/** Where the server is, or a message saying why it was not found and what to do. */
export function resolveServer(settingPath: string | undefined, env: ResolveEnv): Resolution {
  const setting = (settingPath ?? "").trim();
  if (setting !== "") {
    const file = expandSettingPath(setting, env);
    if (file === null) {
      return {
        kind: "missing",
        message: `The setting skillLsp.server.path (${setting}) uses \${workspaceFolder}, but no folder is open. Open the skills folder, or give an absolute path.`,
        tried: [],
      };
    }
    if (env.isExecutable(file)) {
      return { kind: "found", command: file, source: "setting" };
    }
    return {
      kind: "missing",
      message: `The setting skillLsp.server.path points to ${file}, but no executable file is there. Fix the setting, or clear it to use ${SERVER_NAME} from PATH.`,
      tried: [file],
    };
  }
  if (env.bundled !== undefined && env.isExecutable(env.bundled)) {
    return { kind: "found", command: env.bundled, source: "bundled" };
  }
  const tried = pathCandidates(env);
  for (const file of tried) {
    if (env.isExecutable(file)) {
      return { kind: "found", command: file, source: "PATH" };
    }
  }
  return {
    kind: "missing",
    message: `The ${SERVER_NAME} language server was not found on PATH, so SKILL.md files are not checked. Install the extension for your platform (it carries the server), or install the server (pip install skill-lsp, npm install -g skill-lsp, or cargo install skill-lsp), or set skillLsp.server.path to the binary.`,
    tried,
  };
}
