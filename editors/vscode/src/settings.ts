// The settings the server receives, built from the `skillLsp` configuration
// section. The server reads `{ profile: "agentskills", clients: ["codex"],
// rules: {SK104: "off"}, workflow: {steps: 7} }`
// (the shape of skill-lsp.toml); client-only settings (server path, file
// globs, trace) stay here. Entries the server would reject are dropped with a
// message, so a typo shows up in VS Code at once.

export type RuleLevel = "error" | "warning" | "information" | "off";

export type Profile = "workflow" | "agentskills";

export const CLIENTS = ["claude-code", "copilot", "codex", "cursor", "gemini"] as const;
export type Client = (typeof CLIENTS)[number];

export interface ServerSettings {
  /** Absent for `auto`: skill-lsp.toml and the skill itself choose. */
  profile?: Profile;
  /** Absent: skill-lsp.toml's `clients`, else every client. */
  clients?: Client[];
  rules: Record<string, RuleLevel>;
  workflow?: { steps: number };
}

/** Reads one setting of the `skillLsp` section (`get("rules")`). */
export type SettingGetter = (key: string) => unknown;

const LEVELS: Record<string, RuleLevel> = {
  error: "error",
  warning: "warning",
  warn: "warning",
  information: "information",
  info: "information",
  off: "off",
  none: "off",
  allow: "off",
};

const CODE = /^SK[0-9]{3}$/;

export function toServerSettings(get: SettingGetter): { settings: ServerSettings; problems: string[] } {
  const problems: string[] = [];
  const settings: ServerSettings = { rules: {} };

  const rules = get("rules");
  if (rules !== undefined && rules !== null) {
    if (typeof rules !== "object" || Array.isArray(rules)) {
      problems.push("skillLsp.rules must map rule codes to levels, such as { \"SK104\": \"off\" }.");
    } else {
      for (const [rawCode, rawLevel] of Object.entries(rules as Record<string, unknown>)) {
        const code = rawCode.trim().toUpperCase();
        if (!CODE.test(code)) {
          problems.push(`skillLsp.rules: "${rawCode}" is not a rule code (SK followed by three digits); ignored.`);
          continue;
        }
        const level = typeof rawLevel === "string" ? LEVELS[rawLevel.trim().toLowerCase()] : undefined;
        if (level === undefined) {
          problems.push(
            `skillLsp.rules.${rawCode}: ${JSON.stringify(rawLevel)} is not one of error, warning, information, off; ignored.`,
          );
          continue;
        }
        settings.rules[code] = level;
      }
    }
  }

  const profile = get("profile");
  if (profile !== undefined && profile !== null && profile !== "auto" && profile !== "") {
    if (profile === "workflow" || profile === "agentskills") {
      settings.profile = profile;
    } else {
      problems.push(`skillLsp.profile must be one of auto, workflow, agentskills, not ${JSON.stringify(profile)}; using auto.`);
    }
  }

  const clients = get("clients");
  if (clients !== undefined && clients !== null) {
    const known = (c: unknown): c is Client => typeof c === "string" && (CLIENTS as readonly string[]).includes(c);
    if (Array.isArray(clients) && clients.every(known)) {
      settings.clients = clients;
    } else {
      problems.push(
        `skillLsp.clients must list clients among ${CLIENTS.join(", ")}, not ${JSON.stringify(clients)}; using skill-lsp.toml's.`,
      );
    }
  }

  const steps = get("workflow.steps");
  if (steps !== undefined && steps !== null) {
    if (typeof steps === "number" && Number.isInteger(steps) && steps >= 1 && steps <= 100) {
      settings.workflow = { steps };
    } else {
      problems.push(`skillLsp.workflow.steps must be a whole number from 1 to 100, not ${JSON.stringify(steps)}; ignored.`);
    }
  }
  return { settings, problems };
}
