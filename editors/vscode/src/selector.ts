// Which documents the server sees: every SKILL.md, the globs of the
// `skillLsp.files.include` setting (checked as skills), and the interface
// documents of a skills root (not checked: the server shows how many skills
// use each method). Pure, for unit tests.

/** Every skill file, wherever it is. */
export const SKILL_PATTERN = "**/SKILL.md";

/** The interface documents of a skills root (`interfaces/*.md`), sent as Markdown. */
export const INTERFACE_PATTERN = "**/interfaces/*.md";

/** The language id under which the server checks any document as a skill. */
export const SKILL_LANGUAGE_ID = "skill";

export interface FileFilter {
  scheme: string;
  pattern?: string;
  language?: string;
}

/**
 * A glob as VS Code matches it against a document's full path: one that
 * neither starts at the root nor with `**` matches anywhere (`drafts/*.md`
 * becomes `**` + `/drafts/*.md`). Backslashes become slashes.
 */
export function normalizeGlob(glob: string): string | null {
  let g = glob.trim().replace(/\\/g, "/");
  if (g === "") {
    return null;
  }
  if (g.startsWith("./")) {
    g = g.slice(2);
  }
  if (g.startsWith("/") || g.startsWith("**") || /^[A-Za-z]:\//.test(g)) {
    return g;
  }
  return "**/" + g;
}

/**
 * The language client's document selector: files on disk matching SKILL.md,
 * an interface document or an extra glob, and any file VS Code itself gives
 * the language id `skill` (VS Code 1.139 and newer do so for SKILL.md).
 */
export function documentSelector(extraGlobs: readonly unknown[] | undefined): FileFilter[] {
  const patterns = [SKILL_PATTERN, INTERFACE_PATTERN];
  for (const glob of extraGlobs ?? []) {
    if (typeof glob !== "string") {
      continue;
    }
    const g = normalizeGlob(glob);
    if (g !== null && !patterns.includes(g)) {
      patterns.push(g);
    }
  }
  const filters: FileFilter[] = patterns.map((pattern) => ({ scheme: "file", pattern }));
  filters.push({ scheme: "file", language: SKILL_LANGUAGE_ID });
  return filters;
}

/** Whether the file is named SKILL.md (the server checks those whatever their language). */
export function isNamedSkill(fileName: string): boolean {
  const base = fileName.split(/[\\/]/).pop() ?? "";
  return base.toUpperCase() === "SKILL.MD";
}

/**
 * Whether the file is an interface document: a `.md` file directly in a
 * folder named `interfaces` (the server decides whether that folder is a
 * skills root's).
 */
export function isInterfaceDocument(fileName: string): boolean {
  const parts = fileName.split(/[\\/]/);
  const base = parts.pop() ?? "";
  return base.toLowerCase().endsWith(".md") && parts.pop() === "interfaces";
}

/**
 * The language id a document is sent with: its own for SKILL.md and
 * interface documents, `skill` for files matched by an extra glob.
 */
export function sentLanguageId(fileName: string, languageId: string): string {
  return isNamedSkill(fileName) || isInterfaceDocument(fileName) ? languageId : SKILL_LANGUAGE_ID;
}

/**
 * The same document, seen with another language id: what the client sends in
 * didOpen for files matched by an extra glob, so that the server checks them
 * as skills while VS Code keeps them in Markdown mode.
 */
export function withLanguageId<T extends object>(doc: T, languageId: string): T {
  return new Proxy(doc, {
    get(target, prop) {
      if (prop === "languageId") {
        return languageId;
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
