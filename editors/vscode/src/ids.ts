// Names shared by the extension and its manifest (package.json); the unit
// tests check that the two agree.

/** The configuration section, also the one the server asks for. */
export const SECTION = "skillLsp";

export const COMMANDS = {
  restartServer: "skillLsp.restartServer",
  showServerLog: "skillLsp.showServerLog",
} as const;

/**
 * Run by the "used by N skills" lens above an interface method, with
 * `[uri, position, locations]`: the extension lists the locations (the
 * server names it; it is no command of the palette).
 */
export const SHOW_REFERENCES = "skill-lsp.showReferences";

/** Settings that only the extension reads; a change restarts the server. */
export const RESTART_SETTINGS = ["server.path", "files.include"] as const;

/** Settings sent to the server. */
export const SERVER_SETTINGS = ["profile", "clients", "rules", "workflow.steps"] as const;
