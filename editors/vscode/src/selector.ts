// Which documents are skills: every SKILL.md, plus the globs of the
// `skillLsp.files.include` setting. Pure, for unit tests.

/** Every skill file, wherever it is. */
export const SKILL_PATTERN = "**/SKILL.md";

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
 * The language client's document selector: files on disk matching SKILL.md
 * or an extra glob, and any file VS Code itself gives the language id `skill`
 * (VS Code 1.139 and newer do so for SKILL.md).
 */
export function documentSelector(extraGlobs: readonly unknown[] | undefined): FileFilter[] {
  const patterns = [SKILL_PATTERN];
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
