//! The line reader of the Markdown body (`syntax::markdown_lines`) against
//! pulldown-cmark, its reference: wherever the line reader reads a text, it
//! must give the same `MdDoc` as pulldown-cmark, on every Markdown file of
//! the corpus, on random edits of them and on generated Markdown.

use std::path::PathBuf;
use std::sync::OnceLock;

use proptest::prelude::*;
mod common;
use common::{boundary, cases};
use skill_core::syntax::{markdown, markdown_lines};
use skill_core::SkillDoc;

/// Every `.md` file under the corpus's three trees: (path, text, where
/// its body starts).
fn corpus() -> &'static [(PathBuf, String, usize)] {
    static FILES: OnceLock<Vec<(PathBuf, String, usize)>> = OnceLock::new();
    FILES.get_or_init(|| {
        let trees = ["forge", "forge-clean", "agentskills"];
        let Some(root) = test_corpus::holding(&trees) else {
            return Vec::new();
        };
        trees
            .iter()
            .flat_map(|tree| test_corpus::markdown_files(&root.join(tree)))
            .map(|(path, text)| {
                let body = SkillDoc::parse(text.as_str(), None).md.body_start;
                (path, text, body)
            })
            .collect()
    })
}

/// The line reader's parse equals pulldown-cmark's where it reads the text;
/// whether it did.
fn agrees(text: &str, body_start: usize) -> bool {
    let known = skill_core::text::LineIndex::new(text);
    let with_starts = markdown_lines::parse_with_line_starts(text, body_start, known.line_starts());
    let Some(lines) = markdown_lines::parse(text, body_start) else {
        assert!(with_starts.is_none(), "read only with the line starts: {text:?}");
        return false;
    };
    assert_eq!(
        with_starts.as_ref(),
        Some(&lines),
        "the line starts read otherwise: {text:?}"
    );
    let cmark = markdown::parse_with_cmark(text, body_start);
    assert!(
        !cmark.defines_links,
        "the line reader read a text that defines links: {text:?}"
    );
    if lines != cmark {
        first_difference("headings", &lines.headings, &cmark.headings, text);
        first_difference("lists", &lines.lists, &cmark.lists, text);
        first_difference("items", &lines.items, &cmark.items, text);
        first_difference("code spans", &lines.code_spans, &cmark.code_spans, text);
        first_difference("code blocks", &lines.code_blocks, &cmark.code_blocks, text);
        first_difference("links", &lines.links, &cmark.links, text);
        first_difference("tables", &lines.tables, &cmark.tables, text);
        first_difference("blocks", &lines.blocks, &cmark.blocks, text);
        panic!("the parses differ on {text:?}");
    }
    true
}

/// Panics with the first element where `lines` and `cmark` differ, and the
/// text around it.
fn first_difference<T: std::fmt::Debug + PartialEq>(what: &str, lines: &[T], cmark: &[T], text: &str) {
    if lines == cmark {
        return;
    }
    let i = (0..lines.len().max(cmark.len()))
        .find(|&i| lines.get(i) != cmark.get(i))
        .unwrap_or(0);
    let shown = format!("{:?}{:?}", lines.get(i), cmark.get(i));
    let at = shown
        .split("start: ")
        .nth(1)
        .and_then(|s| s.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0);
    let mut from = at.saturating_sub(300).min(text.len());
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (at + 300).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let (l, c) = (format!("{:?}", lines.get(i)), format!("{:?}", cmark.get(i)));
    let d = l.bytes().zip(c.bytes()).take_while(|(a, b)| a == b).count();
    let mut d = d.saturating_sub(200);
    while !l.is_char_boundary(d) || !c.is_char_boundary(d) {
        d -= 1;
    }
    panic!(
        "{what} differ at {i} ({} against {}):\nlines: {}\ncmark: {}\naround {from}: {:?}",
        lines.len(),
        cmark.len(),
        &l[d..],
        &c[d..],
        &text[from..to]
    );
}

#[test]
fn the_line_reader_agrees_with_pulldown_cmark_on_the_corpus() {
    let files = corpus();
    let (mut skills, mut skills_read, mut others, mut others_read) = (0, 0, 0, 0);
    for (path, text, body) in files {
        let read = agrees(text, *body);
        if path.file_name().is_some_and(|n| n == "SKILL.md") {
            skills += 1;
            skills_read += usize::from(read);
        } else {
            others += 1;
            others_read += usize::from(read);
        }
        if !read && std::env::var_os("MD_LINES_DECLINED").is_some() {
            eprintln!("declined: {}", path.display());
        }
    }
    eprintln!("the line reader read {skills_read} of {skills} skills, {others_read} of {others} other Markdown files");
}

/// Texts the line reader must read, as pulldown-cmark does.
#[test]
fn the_line_reader_reads_these_as_pulldown_cmark_does() {
    for text in [
        // A cell's ends count as white space for emphasis.
        "|*(a)**|\n|-|\n",
        "# x\n\n|*(a)**|b|\n|-|-|\n",
        // Lists end where pulldown-cmark ends them.
        "- a\n  - b\n\n  c\n- d\n  1. e\n  - f\n\n```\nx\n```\n",
        "1. a\n\n   - b\n\n   ```sh\n   x\n   ```\n2. c\n",
        // A table interrupts a paragraph; an ordered list not at 1 does not.
        "text\n| a | b |\n|---|---|\n| 1 | 2 |\n\nmore\n3. no list\n",
        "para\n| a | b |\n|---|---|\n",
        // A table in an item ends where the next item of its list starts.
        "1. a\n2. b:\n   | x | y |\n   |---|---|\n   | 1 | 2 |\n3. c\n4. d\n",
        "- a\n  - b\n    | x |\n    |---|\n    | 1 |\n  - c\n- d\n",
        "> **Note** `code` and [a link](x.md \"t\")\n> more\n\n- [ ] task <tag> **b**\n- [x] done\n",
        // Strikethrough, with one tilde or two, in cells, headings and link text.
        "| a | b | c |\n|---|---|---|\n| ~~Strikethrough~~ | `~text~` | ~old approach~ |\n",
        "# ~~x~~ and ~y~ but a~b~c, ~~~z~~~\n\n[~~a~~ *b*](x.md)\n",
        // A delimiter row with a column of no dash makes no table.
        "| Operation | uv | pip |\n|-----------|----||-----|\n| Install | `uv` | `pip` |\n",
        "para\n| a | b |\n|---||---|\n| 1 | 2 |\n",
        "- item\n  | a | b |\n  |---||---|\n",
        // An HTML comment on its own line is a block of its own.
        "# T\n\n<!-- Brief description -->\n\n## A\n\n<!-- x --> and more\n   <!--y-->\n| a |\n|---|\n",
        // An escaped pipe is the cell's text, a pipe in its code spans too.
        "| Link | Syntax | Example |\n|---|---|---|\n| Link | `<url\\|display text>` | <https://wiki.internal\\|Wiki Link> |\n",
        "| a \\| b | `c\\|d` |\n|---|---|\n| `` \\| `` | *e\\|f* |\n",
    ] {
        assert!(agrees(text, 0), "declined {text:?}");
    }
    // Declined, or read as pulldown-cmark does.
    for text in [
        "| a | b |\n|---|---|\n| [t](d\\|e) | <x\\|y> |\n",
        "| a | b |\n|---|---|\n| <http://e.x/a\\|b> | <https://x.y\\|z w> |\n",
        "para\n<!-- c -->\n",
        "- item\n<!-- c -->\n",
        "<!-- a\nb -->\n",
        "<!-->\n",
        "<!--->\n",
        "**Topic**: x\n|\n---\n",
        "a | b\n---\n",
        "```\nx\n```\t\n\n# h\n",
        "- [ ]\n- [x]\n",
    ] {
        agrees(text, 0);
    }
}

const PIECES: &[&str] = &[
    "*",
    "**",
    "_",
    "__",
    "~",
    "~~",
    "~~~",
    "`",
    "``",
    "[",
    "]",
    "](",
    ")",
    "(",
    "]: ",
    "<",
    ">",
    "<a>",
    "</b>",
    "<x y>",
    "<https://e.x/a>",
    "&",
    "&amp;",
    "\\",
    "\\*",
    "\\[",
    "\\|",
    "!",
    "![",
    "#",
    "# ",
    "## ",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "2) ",
    "10. ",
    "[ ] ",
    "[x] ",
    "> ",
    "|",
    " | ",
    "|---|",
    "||",
    "|---||---|",
    "---",
    "***",
    "===",
    "```",
    "~~~",
    "\n",
    "\n\n",
    "  ",
    "    ",
    "\t",
    "\r",
    "\u{a0}",
    "é",
    "⚠️",
    " ",
    "a",
    "word",
    "\"",
    "'",
];

fn piece() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(PIECES)
}

/// A few edits: at a fraction of the text, delete up to some bytes and
/// insert a piece.
fn edits() -> impl Strategy<Value = Vec<(f64, usize, &'static str)>> {
    proptest::collection::vec((0.0..1.0f64, 0..4usize, piece()), 1..6)
}

fn apply(text: &mut String, edits: &[(f64, usize, &str)]) {
    for &(at, delete, insert) in edits {
        let start = boundary(text, at);
        let mut end = (start + delete).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        text.replace_range(start..end, insert);
    }
}

/// Inline pieces the line reader mostly reads.
const INLINE: &[&str] = &[
    "x",
    "yz",
    " w ",
    "`c`",
    "``d``",
    "` e `",
    "[t](d)",
    "[t](d \"T\")",
    "[*t*](d)",
    "[`c` t](d)",
    "**b**",
    "*i*",
    "_u_",
    "__s__",
    "***bi***",
    "a*b",
    "a_b_c",
    "*",
    "_",
    "**",
    "|",
    " | c |",
    "\\*",
    "\\_",
    "\\|",
    "\\\\|",
    "`a\\|b`",
    "` \\| `",
    "[t\\|u](d)",
    "<http://e.x/a\\|b>",
    "<https://x.y z>",
    "-->",
    "<x>",
    "<x y>",
    "</x>",
    "<http://e.x/a>",
    "[",
    "]",
    "](",
    ")",
    "~",
    "~~s~~",
    "~t~",
    "a~b~c",
    "~~~",
    "\\~",
    "~*",
    "`",
    " é ",
    "x&y",
    "&",
];

/// Lines built from pieces: an indentation, a block marker, then inline
/// pieces and words.
fn generated() -> impl Strategy<Value = String> {
    let line = (
        proptest::sample::select(&[0usize, 0, 0, 0, 0, 2, 3, 4, 6][..]),
        proptest::sample::select(
            &[
                "",
                "",
                "- ",
                "* ",
                "1. ",
                "2. ",
                "> ",
                "# ",
                "### ",
                "```",
                "| ",
                "- [ ] ",
                "<!-- c -->",
            ][..],
        ),
        proptest::collection::vec(
            prop_oneof![
                1 => piece(),
                12 => proptest::sample::select(INLINE),
            ],
            1..8,
        ),
    )
        .prop_map(|(indent, marker, pieces)| format!("{}{marker}{}\n", " ".repeat(indent), pieces.concat()));
    proptest::collection::vec(line, 1..14).prop_map(|lines| lines.concat())
}

proptest! {
    #![proptest_config(cases(64))]

    #[test]
    fn the_line_reader_agrees_on_edited_corpus_files(pick in 0.0..1.0f64, e in edits()) {
        let files = corpus();
        prop_assume!(!files.is_empty());
        let (_, text, body) = &files[((pick * files.len() as f64) as usize).min(files.len() - 1)];
        let mut text = text.clone();
        apply(&mut text, &e);
        let mut body = (*body).min(text.len());
        while !text.is_char_boundary(body) {
            body -= 1;
        }
        agrees(&text, body);
    }

    #[test]
    fn the_line_reader_agrees_on_generated_markdown(text in generated()) {
        agrees(&text, 0);
    }
}

/// A table in a list item, then lines of any indentation that may or may
/// not leave the item: another item, text, a row, a quote, a heading, a fence.
fn table_in_item() -> impl Strategy<Value = String> {
    let item = proptest::sample::select(&["- ", "* ", "1. ", "2) ", "10. "][..]);
    let after = (
        proptest::sample::select(&[0usize, 1, 2, 3, 4, 5, 6, 7][..]),
        proptest::sample::select(
            &[
                "- z", "* z", "+ z", "1. z", "3. z", "3) z", "10. z", "z", "| z |", "> z", "# z", "```", "---", "",
            ][..],
        ),
    );
    (item, proptest::collection::vec(after, 1..4)).prop_map(|(item, after)| {
        let pad = " ".repeat(item.len());
        let mut text = format!("{item}a\n{pad}| x | y |\n{pad}|---|---|\n{pad}| 1 | 2 |\n");
        for (indent, line) in after {
            text.push_str(&format!("{}{line}\n", " ".repeat(indent)));
        }
        text
    })
}

/// A table (a paragraph line maybe before it) whose delimiter row may
/// have columns without dashes, and whose cells hold inline pieces.
fn table() -> impl Strategy<Value = String> {
    let cell = proptest::collection::vec(proptest::sample::select(INLINE), 0..4).prop_map(|p| p.concat());
    let row = proptest::collection::vec(cell, 1..4).prop_map(|cells| format!("| {} |\n", cells.join(" | ")));
    let delimiter = proptest::collection::vec(proptest::sample::select(&["---", ":-:", "", " ", ":", "-"][..]), 1..4)
        .prop_map(|columns| format!("|{}|\n", columns.join("|")));
    (
        proptest::sample::select(&["", "text\n", "- item\n  "][..]),
        row.clone(),
        delimiter,
        proptest::collection::vec(row, 0..3),
    )
        .prop_map(|(before, header, delimiter, rows)| format!("{before}{header}{delimiter}{}", rows.concat()))
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn the_line_reader_agrees_on_tables_in_items(text in table_in_item()) {
        agrees(&text, 0);
    }

    #[test]
    fn the_line_reader_agrees_on_tables(text in table()) {
        agrees(&text, 0);
    }
}

/// The properties above test something only where the line reader reads
/// the text: a good share of the inputs must be read.
#[test]
fn the_line_reader_reads_a_good_share_of_the_random_inputs() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let files = corpus();
    let (mut generated_read, mut edited_read, mut tables_read) = (0, 0, 0);
    for _ in 0..1000 {
        let text = generated().new_tree(&mut runner).unwrap().current();
        generated_read += usize::from(markdown_lines::parse(&text, 0).is_some());
        let text = table().new_tree(&mut runner).unwrap().current();
        tables_read += usize::from(markdown_lines::parse(&text, 0).is_some());
        if !files.is_empty() {
            let pick = (0..files.len()).new_tree(&mut runner).unwrap().current();
            let (_, text, body) = &files[pick];
            let mut text = text.clone();
            apply(&mut text, &edits().new_tree(&mut runner).unwrap().current());
            let mut body = (*body).min(text.len());
            while !text.is_char_boundary(body) {
                body -= 1;
            }
            edited_read += usize::from(markdown_lines::parse(&text, body).is_some());
        }
    }
    eprintln!(
        "read {generated_read} of 1000 generated texts, {tables_read} of 1000 tables, {edited_read} of 1000 edited files"
    );
    assert!(generated_read > 150, "{generated_read}");
    assert!(tables_read > 300, "{tables_read}");
    assert!(files.is_empty() || edited_read > 200, "{edited_read}");
}

#[test]
#[ignore]
fn where_the_line_reader_declines() {
    for (path, text, body) in corpus() {
        if !path.ends_with("SKILL.md") || markdown_lines::parse(text, *body).is_some() {
            continue;
        }
        let mut end = *body;
        for line in text[*body..].split_inclusive('\n') {
            end += line.len();
            if markdown_lines::parse(&text[..end], *body).is_none() {
                eprintln!("DECLINE {:?}", line.trim_end());
                break;
            }
        }
    }
}

#[test]
#[ignore]
fn show_pulldown_cmark() {
    let text = std::env::var("MD").unwrap_or_default().replace("\\n", "\n");
    eprintln!("{:#?}", markdown::parse_with_cmark(&text, 0));
}
