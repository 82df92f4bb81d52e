// Which documents are skills: every SKILL.md, plus the globs of the
// `skillLsp.files.include` setting. Pure, for unit tests.

/** Every skill file, wherever it is. */
export const SKILL_PATTERN = "**/SKILL.md";

export interface FileFilter {
  scheme: string;
  pattern: string;
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

/** The language client's document selector: files on disk matching SKILL.md or an extra glob. */
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
  return patterns.map((pattern) => ({ scheme: "file", pattern }));
}
