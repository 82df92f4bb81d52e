"""The VS Code extension in a real VS Code (code-server), driven through its
web UI by Playwright in headless Chromium, against the real skill-lsp binary.

Run by scripts/test-editors.sh, which installs the extension's .vsix into
code-server, starts code-server on 127.0.0.1 and passes (environment):

  E2E_URL         code-server's address (http://127.0.0.1:PORT)
  E2E_WORKSPACE   a skills root: interfaces/, context/ and one broken skill
  E2E_EMPTY       a folder with no skill, for a skill created after opening it
  E2E_ALONE       a folder outside both holding one SKILL.md, opened on its own
  E2E_OWN         a folder with a skill that has no description, and empty
                  workspace settings (.vscode/settings.json)
  E2E_SETTINGS    code-server's User settings.json
  E2E_PROTOCOL    where the server wrapper logs what VS Code sends the server
  E2E_SKILL_LSP   the skill-lsp binary, for `skill-lsp check`
  E2E_SHOTS       where to save a screenshot of each step
  E2E_CHROMIUM    the Chromium binary
  E2E_STEPS       (optional) step names, comma-separated: run only those

Each step prints `ok: ...` or raises; the script ends with a plain
`N passed, N failed` line. Screenshots are named after their step.
"""

import json
import os
import re
import subprocess
import sys
import time
import traceback
from pathlib import Path

from playwright.sync_api import sync_playwright

URL = os.environ["E2E_URL"]
WORKSPACE = Path(os.environ["E2E_WORKSPACE"])
EMPTY = Path(os.environ["E2E_EMPTY"])
ALONE = Path(os.environ["E2E_ALONE"]) / "SKILL.md"
OWN = Path(os.environ["E2E_OWN"])
OWN_SETTINGS = OWN / ".vscode" / "settings.json"
SETTINGS = Path(os.environ["E2E_SETTINGS"])
PROTOCOL = Path(os.environ["E2E_PROTOCOL"])
SKILL_LSP = os.environ["E2E_SKILL_LSP"]
SHOTS = Path(os.environ["E2E_SHOTS"])
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
SKILL = WORKSPACE / "skills" / "typescript" / "SKILL.md"
# Written (empty) before the folder is opened; the settings steps edit it in VS Code.
WORKSPACE_SETTINGS = WORKSPACE / ".vscode" / "settings.json"
# The editor of the active editor group (another group, or a peek, may show
# other text).
ACTIVE_EDITOR = ".editor-group-container.active .monaco-editor"
# Generous: the machine running CI may be busy.
TIMEOUT_MS = int(os.environ.get("E2E_TIMEOUT_MS", "60000"))


def log(msg):
    print(msg, flush=True)


def wait_until(what, predicate, timeout_ms=TIMEOUT_MS, every=0.25):
    deadline = time.monotonic() + timeout_ms / 1000
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


def cli_diagnostics(path, cwd):
    """What `skill-lsp check` reports for the file: (code, line) pairs."""
    out = subprocess.run(
        [SKILL_LSP, "check", "--format", "json", str(path)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(out.stdout)
    return sorted((d["code"], d["range"]["start"]["line"]) for d in report["diagnostics"])


def notifications(method):
    """How many `method` messages VS Code has sent the server so far."""
    if not PROTOCOL.exists():
        return 0
    return PROTOCOL.read_text(errors="replace").count(f'"method":"{method}"')


class Workbench:
    def __init__(self, page):
        self.page = page

    def shot(self, name):
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        log(f"   screenshot {path}")

    def open_folder(self, folder, has_files=True):
        self.page.goto(f"{URL}/?folder={folder}")
        self.page.wait_for_selector(".monaco-workbench", timeout=TIMEOUT_MS)
        if has_files:
            # The explorer lists the folder once the window is ready.
            self.page.wait_for_selector(".explorer-folders-view .monaco-list-row", timeout=TIMEOUT_MS)
        else:
            # An empty folder's explorer shows its "no files" view instead.
            self.page.wait_for_selector(".explorer-folders-view, .explorer-viewlet .pane-body", timeout=TIMEOUT_MS)
        self.page.wait_for_selector(".part.statusbar", timeout=TIMEOUT_MS)

    def open_empty_window(self):
        self.page.goto(f"{URL}/?ew=true")
        self.page.wait_for_selector(".monaco-workbench", timeout=TIMEOUT_MS)
        self.page.wait_for_selector(".part.statusbar", timeout=TIMEOUT_MS)

    def command(self, name):
        """Runs a command by its title from the command palette."""
        self.page.keyboard.press("F1")
        box = self.page.locator(".quick-input-widget input")
        box.wait_for(state="visible", timeout=TIMEOUT_MS)
        box.fill(">" + name)
        # The list filters after the text is in: on a busy machine its rows
        # can still be the last ones shown (recently used commands), and
        # Enter would run one of those. Wait until the rows stop changing.
        rows = self.page.locator(".quick-input-list .monaco-list-row")
        rows.first.wait_for(timeout=TIMEOUT_MS)
        seen = [None]

        def settled():
            now = rows.all_inner_texts()
            same = bool(now) and now == seen[0]
            seen[0] = now
            return same

        wait_until(f"the command palette's rows for `{name}`", settled, every=0.4)
        time.sleep(0.3)
        self.page.keyboard.press("Enter")

    def quick_open(self, relative):
        """Opens a file through Quick Open: a path in the folder, or absolute."""
        self.page.keyboard.press("Control+P")
        box = self.page.locator(".quick-input-widget input")
        box.wait_for(state="visible", timeout=TIMEOUT_MS)
        box.fill(relative)
        wait_until(
            f"{relative} in Quick Open",
            lambda: self.page.locator(".quick-input-list .monaco-list-row").count() > 0,
        )
        time.sleep(0.5)
        self.page.keyboard.press("Enter")
        self.page.wait_for_selector(".monaco-editor .view-lines", timeout=TIMEOUT_MS)
        self.wait_for_tab(Path(relative).name, active=True)

    def edit_in_editor(self, path, text, attempts=3):
        """Opens `path` in VS Code, replaces its text with `text` and saves
        it, as a user would (VS Code reads its own save at once, where an
        edit from outside may go unseen). On a busy machine a key may reach
        the editor before it is ready for it: the edit is made again, up to
        `attempts` times, until the editor shows the new text."""
        self.quick_open(str(path))
        want = " ".join(text.split())
        for attempt in range(1, attempts + 1):
            self.page.locator(f"{ACTIVE_EDITOR} .view-lines").first.click()
            self.page.keyboard.press("Control+A")
            # One input event: no suggestion accepted. The editor may still
            # auto-close a quote or bracket after the cursor: cut what follows.
            self.page.keyboard.insert_text(text)
            self.page.keyboard.press("Escape")
            self.page.keyboard.press("Shift+Control+End")
            self.page.keyboard.press("Delete")
            try:
                wait_until(
                    f"{path.name} to show the new text",
                    lambda: " ".join(self.editor_text().split()) == want,
                    timeout_ms=TIMEOUT_MS // attempts,
                )
                break
            except AssertionError:
                seen = self.editor_text()
                self.shot(f"edit-attempt-{attempt}-{path.name}")
                log(f"   attempt {attempt}: the editor shows {seen!r}, not {text!r}")
                if attempt == attempts:
                    raise
        self.page.keyboard.press("Control+S")
        wait_until(f"{path} saved", lambda: path.read_text() == text)

    def wait_for_tab(self, name, active=False):
        tabs = self.page.locator(".tabs-container .tab.active" if active else ".tabs-container .tab", has_text=name)
        wait_until(f"an editor tab for {name}", lambda: tabs.count() > 0)

    def open_problems(self):
        if self.page.locator(".markers-panel").count() == 0 or not self.page.locator(".markers-panel").first.is_visible():
            self.command("View: Show Problems")
        self.page.wait_for_selector(".markers-panel", timeout=TIMEOUT_MS)

    def problems(self, source="skill-lsp"):
        """The Problems panel's entries from `source`, as their row texts."""
        # All at once: rows come and go while the server republishes.
        texts = self.page.locator(".markers-panel .monaco-list-row").all_inner_texts()
        return [" ".join(t.split()) for t in texts if source in t]

    def problem_codes(self):
        codes = []
        for row in self.problems():
            m = re.search(r"skill-lsp\s*\(?\s*(SK\d{3})", row)
            if m:
                codes.append(m.group(1))
        return sorted(codes)

    def go_to_line(self, line):
        """Puts the cursor at the start of 1-based `line`."""
        self.page.keyboard.press("Control+G")
        box = self.page.locator(".quick-input-widget input")
        box.wait_for(state="visible", timeout=TIMEOUT_MS)
        box.fill(f":{line}")
        time.sleep(0.3)
        self.page.keyboard.press("Enter")
        # The status bar says where the cursor is: wait until it is there.
        where = self.page.locator('[id="status.editor.selection"]')
        wait_until(
            f"the cursor on line {line}",
            lambda: where.count() > 0 and f"Ln {line}," in where.first.inner_text(),
        )
        time.sleep(0.3)

    def editor_text(self):
        # The editor draws spaces as no-break spaces.
        return self.page.locator(f"{ACTIVE_EDITOR} .view-lines").first.inner_text().replace("\u00a0", " ")


# --------------------------------------------------------------------------
# The steps, in order: each gets the workbench.

def step_activation_in_folder(wb):
    wb.open_folder(WORKSPACE)
    wb.quick_open("skills/typescript/SKILL.md")
    wb.open_problems()
    wait_until("skill-lsp diagnostics in the Problems panel", lambda: len(wb.problem_codes()) > 0)
    wb.shot("01-activated-in-folder")
    log("ok: the extension activated for a SKILL.md in a folder and the server reported")


def step_problems_match_the_command_line(wb):
    expected = sorted(code for code, _ in cli_diagnostics(SKILL, WORKSPACE))
    # Diagnostics may arrive in more than one publish: wait for them to settle.
    shown = wait_until(
        f"the Problems panel to show {expected}",
        lambda: wb.problem_codes() if wb.problem_codes() == expected else None,
        timeout_ms=20000,
    )
    wb.shot("02-problems-panel")
    log(f"ok: the Problems panel shows {len(shown)} skill-lsp problems, as `skill-lsp check` does: {shown}")


def step_completion_lists_methods(wb):
    text = SKILL.read_text()
    line = next(i for i, l in enumerate(text.split("\n")) if l.startswith("### Step 2")) + 1
    wb.go_to_line(line)
    wb.page.keyboard.press("End")
    wb.page.keyboard.press("Enter")
    wb.page.keyboard.type("- Then `memoryStore.", delay=30)
    widget = wb.page.locator(".suggest-widget .monaco-list-row")
    wait_until("the completion list", lambda: widget.count() > 0)
    time.sleep(1)
    rows = [" ".join(widget.nth(i).inner_text().split()) for i in range(widget.count())]
    wb.shot("03-completion")
    assert any(r.startswith("getSkillMemory") for r in rows), rows
    updates = [r for r in rows if r.startswith("update")]
    assert len(updates) >= 2, rows
    # Each form of update reads differently (labelDetails).
    assert len(set(updates)) == len(updates), f"update forms look alike: {updates}"
    assert not any(r.startswith("getDomainIndex") for r in rows), rows
    log(f"ok: completion after `memoryStore.` lists {len(rows)} methods, the update forms apart: {updates}")
    wb.page.keyboard.press("Escape")
    # Back to the file as on disk (its lines are the command line's again).
    wb.command("File: Revert File")
    wait_until("the typed line to go", lambda: "- Then `memoryStore." not in wb.editor_text())
    time.sleep(1)


def step_quick_fix_for_a_missing_step(wb):
    lines = [l for c, l in cli_diagnostics(SKILL, WORKSPACE) if c == "SK102"]
    assert lines, "the workspace's skill must miss a step (SK102)"
    wb.go_to_line(lines[0] + 1)
    # The editor's Quick Fix command, from the command palette, at the cursor.
    menu = wb.page.locator(".action-widget .monaco-list-row")
    # A busy machine may answer the first request after the revert before
    # the editor has the line's problems: ask again, as a user would.
    for attempt in range(3):
        wb.command("Quick Fix...")
        try:
            wait_until("the quick fix menu", lambda: menu.count() > 0, timeout_ms=15000)
            break
        except AssertionError:
            if attempt == 2:
                raise
            wb.page.keyboard.press("Escape")
            wb.go_to_line(lines[0] + 1)
    titles = [" ".join(menu.nth(i).inner_text().split()) for i in range(menu.count())]
    wb.shot("04-quick-fix-menu")
    pick = next((i for i, t in enumerate(titles) if "step 5" in t.lower() or "Step 5" in t), None)
    assert pick is not None, f"no fix for the missing step 5 among {titles}"
    menu.nth(pick).click()
    wait_until(
        "SK102 to leave the Problems panel",
        lambda: "SK102" not in wb.problem_codes(),
    )
    assert "Step 5" in wb.editor_text(), "the fix inserted no Step 5 heading"
    wb.shot("05-quick-fix-applied")
    log(f"ok: the quick fix `{titles[pick]}` inserted step 5 and SK102 went away")


def step_settings_change_takes_effect(wb):
    """A rule turned off in the (workspace) settings, edited in VS Code: its
    diagnostic goes, and VS Code tells the server once, not twice."""
    before = wb.problem_codes()
    assert "SK301" in before, before
    sent = notifications("workspace/didChangeConfiguration")
    wb.edit_in_editor(WORKSPACE_SETTINGS, json.dumps({"skillLsp.rules": {"SK301": "off"}}))
    wait_until("SK301 to go once the rule is off", lambda: "SK301" not in wb.problem_codes())
    # The notification that took SK301 away has reached the server; a
    # second one would have been sent with it (same change event).
    delta = notifications("workspace/didChangeConfiguration") - sent
    wb.shot("06-rule-off")
    assert delta == 1, f"one settings change sent {delta} didChangeConfiguration notifications"
    log("ok: turning SK301 off in the settings took it out of the Problems panel, with one notification")


def step_interface_lens_counts_uses(wb):
    """An interface document of the skills root is sent to the server as
    Markdown, gets no skill-lsp problem, and shows "used by N skills" above
    a method; choosing the lens lists the calls in the references peek."""
    doc = WORKSPACE / "interfaces" / "memory_store.md"
    users = [
        p for p in sorted((WORKSPACE / "skills").glob("*/SKILL.md")) if "memoryStore.getSkillMemory(" in p.read_text()
    ]
    assert users, "a skill of the workspace must call memoryStore.getSkillMemory"
    expected = "used by 1 skill" if len(users) == 1 else f"used by {len(users)} skills"
    heading = next(i for i, l in enumerate(doc.read_text().split("\n")) if l.startswith("### ") and "`getSkillMemory(" in l)
    wb.quick_open("interfaces/memory_store.md")
    wait_until("the language mode Markdown", lambda: "Markdown" in wb.page.locator("[id='status.editor.mode']").first.inner_text())
    # Below the heading, so the line above it (where the lens goes) is in view.
    wb.go_to_line(heading + 12)
    wb.go_to_line(heading + 1)
    lenses = wb.page.locator(".monaco-editor .codelens-decoration")
    shown = wait_until(
        f"the lens `{expected}`",
        lambda: (lambda texts: texts if expected in texts else None)(
            [" ".join(t.split()) for t in lenses.all_inner_texts()]
        ),
    )
    assert all(t.startswith("used by ") for t in shown if t), shown
    protocol = PROTOCOL.read_text(errors="replace")
    opened = [m.end() for m in re.finditer(r'"uri":"[^"]*/interfaces/memory_store\.md"', protocol)]
    assert any('"languageId":"markdown"' in protocol[at : at + 40] for at in opened), "not sent to the server as Markdown"
    wb.shot("11-interface-lens")
    # The lens of the heading in view (others off screen may read the same).
    links = lenses.filter(has_text=expected).locator("a")
    link = wait_until(
        "the lens in view",
        lambda: next((links.nth(i) for i in range(links.count()) if links.nth(i).is_visible()), None),
    )
    link.click()
    peek = wb.page.locator(".peekview-widget")
    wait_until("the references peek", lambda: peek.count() > 0 and peek.first.is_visible())
    wait_until("the skill's call in the peek", lambda: "SKILL.md" in peek.first.inner_text())
    wb.shot("12-interface-lens-references")
    wb.page.keyboard.press("Escape")
    # Nothing from skill-lsp about the document (the panel lists files by name).
    wb.open_problems()
    rows = wb.page.locator(".markers-panel .monaco-list-row").all_inner_texts()
    assert not any("memory_store.md" in r for r in rows), rows
    log(f"ok: interfaces/memory_store.md opened as Markdown shows `{expected}` ({shown}), its uses in the peek, no problem")


def step_vscode_own_checks_silenced(wb):
    """VS Code checks language `skill` documents itself, so a skill with no
    description is reported twice; opening SKILL.md as Markdown
    (files.associations, in the workspace settings) leaves skill-lsp's
    findings alone. A folder of its own: the earlier steps' window comes back
    with their unsaved edits (hot exit)."""
    skill = OWN / "skills" / "no-description" / "SKILL.md"
    expected = sorted(code for code, _ in cli_diagnostics(skill, OWN))
    assert expected, "the skill with no description must have a skill-lsp finding"

    def total():
        # The status bar's problem counts (errors, warnings, infos) for the window.
        text = wb.page.locator("[id='status.problems']").first.inner_text()
        return sum(int(n) for n in re.findall(r"\d+", text))

    wb.open_folder(OWN)
    wb.quick_open("skills/no-description/SKILL.md")
    wb.open_problems()
    wait_until(f"skill-lsp's {expected} in the Problems panel", lambda: wb.problem_codes() == expected)
    # VS Code's own checks report the missing description too.
    wait_until("VS Code's own skill checks", lambda: total() > len(expected), timeout_ms=30000)
    before = total()
    wb.shot("09-vscode-own-checks")
    wb.edit_in_editor(OWN_SETTINGS, json.dumps({"files.associations": {"**/SKILL.md": "markdown"}}))
    wb.quick_open("skills/no-description/SKILL.md")
    wait_until("the language mode Markdown", lambda: "Markdown" in wb.page.locator("[id='status.editor.mode']").first.inner_text())
    wait_until(
        f"only skill-lsp's {expected}",
        lambda: total() == len(expected) and wb.problem_codes() == expected,
    )
    wb.shot("10-vscode-own-checks-silenced")
    log(f"ok: with SKILL.md opened as Markdown the window has {len(expected)} problems, all skill-lsp's (before: {before})")


def step_skill_created_later(wb):
    wb.open_folder(EMPTY, has_files=False)
    created = EMPTY / "later" / "SKILL.md"
    created.parent.mkdir(parents=True, exist_ok=True)
    created.write_text("---\nname: sooner\ndescription: Created after the window opened.\n---\n\n# Later\n")
    expected = sorted(code for code, _ in cli_diagnostics(created, EMPTY))
    assert expected, "the created skill must have a finding"
    # Quick Open searches the folder when asked: it finds the new file.
    wb.quick_open("later/SKILL.md")
    wb.open_problems()
    wait_until(f"the Problems panel to show {expected}", lambda: wb.problem_codes() == expected)
    wb.shot("07-created-later")
    log(f"ok: a SKILL.md created in a folder that had none is checked: {expected}")


def step_skill_opened_alone(wb):
    wb.open_empty_window()
    # Quick Open takes an absolute path, folder or none.
    wb.quick_open(str(ALONE))
    expected = sorted(code for code, _ in cli_diagnostics(ALONE, ALONE.parent))
    assert expected, "the skill opened alone must have a finding"
    wb.open_problems()
    wait_until(f"the Problems panel to show {expected}", lambda: wb.problem_codes() == expected)
    wb.shot("08-opened-alone")
    log(f"ok: a SKILL.md opened alone, in a window with no folder, is checked: {expected}")


# In order: the first six share one window on the workspace; the next three
# open their own windows.
STEPS = [
    step_activation_in_folder,
    step_problems_match_the_command_line,
    step_completion_lists_methods,
    step_quick_fix_for_a_missing_step,
    step_settings_change_takes_effect,
    step_interface_lens_counts_uses,
    step_skill_created_later,
    step_skill_opened_alone,
    step_vscode_own_checks_silenced,
]
# E2E_STEPS=name,name runs only those (their order stays STEPS').
if os.environ.get("E2E_STEPS"):
    _chosen = os.environ["E2E_STEPS"].split(",")
    STEPS = [s for s in STEPS if s.__name__.removeprefix("step_") in _chosen]


def main():
    SHOTS.mkdir(parents=True, exist_ok=True)
    passed = failed = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(TIMEOUT_MS)
        # Leaving a window with an unsaved edit asks first (beforeunload): go.
        page.on("dialog", lambda dialog: dialog.accept())
        wb = Workbench(page)
        for step in STEPS:
            name = step.__name__.removeprefix("step_")
            log(f"--- {name}")
            try:
                step(wb)
                passed += 1
            except Exception:
                failed += 1
                traceback.print_exc()
                try:
                    wb.shot(f"failed-{name}")
                except Exception:
                    pass
                # The later steps build on the earlier ones.
                break
        browser.close()
    skipped = len(STEPS) - passed - failed
    print(f"vscode-e2e: {passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 0 if failed == 0 and skipped == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
