//! What stands at a byte offset of a skill: the question every editor feature
//! asks first, answered from the model's own parse of the text (no second
//! parser).
//!
//! Two views, for two kinds of feature:
//!
//! - [`target_at`] reads the parsed document (calls, headings, links, the
//!   YAML tree): what a finished piece of text under the cursor *is*. Hover,
//!   go-to-definition, references and rename start here.
//! - [`site_at`] answers what may be *written* at the cursor, where the text
//!   is unfinished (`memoryStore.` has no `(` yet, a half-typed YAML key has
//!   no `:`): it reads the model's call parse and YAML tree of the text with
//!   a marker written at the cursor, as rust-analyzer's completion does
//!   ([`marker`]). Completion and signature help start here.
//!
//! What hover, signature help and completion say about what they find is
//! shared in `ide::describe`; none of them borrows from another.
//!
//! Offsets are bytes; one inside a character is moved back to its start.
//! Nothing here panics on any input.

mod call;
mod front_matter;
mod marker;
mod query;
mod site;
mod target;
mod words;

pub use call::{call_site, in_code, param_of, ArgPiece, CallSite};
pub use query::site_at;
pub use site::Site;
pub use target::{
    arg_at, call_at, checklist_step_at, heading_at, in_front_matter, link_at, step_of_heading, target_at, Target,
};
pub use words::{floor_boundary, ident_before, word_at};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SkillDoc;
    use crate::testing::with_cursor as at;
    use crate::text::TextRange;

    fn slice(doc: &SkillDoc, r: TextRange) -> &str {
        &doc.text[r.start..r.end]
    }

    const FM: &str = "---\nname: demo\ncontext:\n  primary_domain: python\n  |\nmemory:\n  scopes:\n    - type: \"skill-specific\"\n      files: [a.md]\n---\n# T\n";

    /// [`FM`] without its cursor.
    fn bare() -> String {
        FM.replace("  |\n", "")
    }

    #[test]
    fn front_matter_keys_know_their_map_and_its_keys() {
        let (doc, offset) = at(FM);
        match site_at(&doc, offset) {
            Site::FrontMatterKey { path, existing, .. } => {
                assert_eq!(path, ["context"]);
                assert_eq!(existing, ["primary_domain"]);
            }
            other => panic!("{other:?}"),
        }
        let (doc, offset) = at(&bare().replace("      files: [a.md]", "      files: [a.md]\n      us|"));
        match site_at(&doc, offset) {
            Site::FrontMatterKey {
                path, existing, prefix, ..
            } => {
                assert_eq!(path, ["memory", "scopes", "*"]);
                assert_eq!(existing, ["type", "files"]);
                assert_eq!(slice(&doc, prefix), "us");
            }
            other => panic!("{other:?}"),
        }
        let (doc, offset) = at(&FM
            .replace("  |\n", "")
            .replace("# T", "")
            .replace("name: demo\n", "name: demo\nv|\n"));
        match site_at(&doc, offset) {
            Site::FrontMatterKey { path, existing, .. } => {
                assert!(path.is_empty());
                assert_eq!(existing, ["name", "context", "memory"]);
            }
            other => panic!("{other:?}"),
        }
        let (doc, offset) = at(&bare().replace("      files: [a.md]", "      files: [a.md]\n    - |"));
        match site_at(&doc, offset) {
            Site::FrontMatterKey { path, existing, .. } => {
                assert_eq!(path, ["memory", "scopes", "*"]);
                assert!(existing.is_empty(), "{existing:?}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_closing_fence_is_not_front_matter() {
        let (doc, offset) = at("---\nname: demo\n|---\n# T\n");
        assert_eq!(site_at(&doc, offset), Site::None);
        let (doc, offset) = at("---\nname: demo\n|\n---\n# T\n");
        assert!(matches!(site_at(&doc, offset), Site::FrontMatterKey { .. }));
    }

    #[test]
    fn profile_override_comments() {
        let (doc, offset) = at("---\n# skill-lsp: profile=agent|\nname: demo\n---\n# T\n");
        let Site::ProfileName { replace } = site_at(&doc, offset) else {
            panic!()
        };
        assert_eq!(slice(&doc, replace), "agent");
        let (doc, offset) = at("---\n# just a comment|\nname: demo\n---\n# T\n");
        assert_eq!(site_at(&doc, offset), Site::None);
        let (doc, offset) = at("---\n# skill-lsp: profile=agent|skills\nname: demo\n---\n# T\n");
        assert!(
            matches!(target_at(&doc, offset), Target::ProfileOverride { range } if slice(&doc, range) == "agentskills")
        );
    }

    #[test]
    fn front_matter_values_know_their_key() {
        let (doc, offset) = at(&bare().replace("    - type: \"skill-specific\"", "    - type: \"sh|\""));
        match site_at(&doc, offset) {
            Site::FrontMatterValue {
                path,
                prefix,
                replace,
                quote,
                ..
            } => {
                assert_eq!(path, ["memory", "scopes", "*", "type"]);
                assert_eq!(slice(&doc, prefix), "sh");
                assert_eq!(slice(&doc, replace), "sh");
                assert_eq!(quote, Some('"'));
            }
            other => panic!("{other:?}"),
        }
        let (doc, offset) = at(&FM.replace("  |\n", "  detection_required: t|\n"));
        match site_at(&doc, offset) {
            Site::FrontMatterValue { path, quote, .. } => {
                assert_eq!(path, ["context", "detection_required"]);
                assert_eq!(quote, None);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn methods_after_a_receiver_even_unfinished() {
        let (doc, offset) = at("---\nname: demo\n---\n# T\n\n- Then `memoryStore.get|\n");
        match site_at(&doc, offset) {
            Site::Method {
                interface,
                prefix,
                has_parens,
                ..
            } => {
                assert_eq!(interface, "memoryStore");
                assert_eq!(slice(&doc, prefix), "get");
                assert!(!has_parens);
            }
            other => panic!("{other:?}"),
        }
        let (doc, offset) = at("# T\n\n- 🚀 `memstore.|()`\n");
        assert!(matches!(
            site_at(&doc, offset),
            Site::Method {
                interface: "memoryStore",
                has_parens: true,
                ..
            }
        ));
        let (doc, offset) = at("# T\n\n- `os.path.|`\n");
        assert_eq!(site_at(&doc, offset), Site::None);
    }

    #[test]
    fn receivers_only_in_code() {
        let (doc, offset) = at("# T\n\nUse `mem|\n");
        assert!(matches!(site_at(&doc, offset), Site::Receiver { .. }));
        let (doc, offset) = at("# T\n\nUse mem| here\n");
        assert_eq!(site_at(&doc, offset), Site::None);
    }

    #[test]
    fn arguments_positional_and_keyword() {
        let (doc, offset) = at("# T\n\n`memoryStore.getSkillMemory(\"demo\", \"{pro|`\n");
        let Site::Argument(c) = site_at(&doc, offset) else {
            panic!()
        };
        assert_eq!(
            (c.interface, c.method.as_str(), c.active),
            ("memoryStore", "getSkillMemory", 1)
        );
        assert_eq!(slice(&doc, c.prefix), "{pro");
        assert_eq!(c.quote, Some('"'));
        assert!(c.close.is_none());

        let (doc, offset) = at("# T\n\n`memoryStore.update(layer=\"skill-specific\", skill=\"|\", project=\"p\")`\n");
        let Site::Argument(c) = site_at(&doc, offset) else {
            panic!()
        };
        assert_eq!(c.active, 1);
        assert_eq!(c.args[1].keyword.as_ref().map(|k| k.0.as_str()), Some("skill"));
        assert_eq!(c.args.len(), 3);
        assert!(c.close.is_some());
        let form =
            crate::workspace::catalogue::parse_param_list("layer, skillName, projectName, fileType, content").unwrap();
        assert_eq!(c.active_param(&form), Some(1));
        // Positional after keywords: the next parameter no keyword names.
        let (doc, offset) = at("# T\n\n`memoryStore.update(skill=\"x\", |)`\n");
        let Site::Argument(c) = site_at(&doc, offset) else {
            panic!()
        };
        assert_eq!(c.active_param(&form), Some(0));
        assert!(c.at_keyword);

        let (doc, offset) = at("# T\n\n```\ncontextProvider.getConditionalContext(\n  \"python\",\n  |\n)\n```\n");
        let Site::Argument(c) = site_at(&doc, offset) else {
            panic!()
        };
        assert_eq!((c.method.as_str(), c.active), ("getConditionalContext", 1));
        // After a closed string: nothing is being typed into it.
        let (doc, offset) = at("# T\n\n`contextProvider.getDomainIndex(\"python\"|)`\n");
        let Site::Argument(c) = site_at(&doc, offset) else {
            panic!()
        };
        assert!(c.after_string);
        let (doc, offset) = at("# T\n\n`contextProvider.getDomainIndex(\"py\\\"|\")`\n");
        let Site::Argument(c) = site_at(&doc, offset) else {
            panic!()
        };
        assert!(!c.after_string, "an escaped quote does not close the string");
        // After the closing parenthesis: no longer in the call.
        let (doc, offset) = at("# T\n\n`contextProvider.getDomainIndex(\"python\")|`\n");
        assert!(!matches!(site_at(&doc, offset), Site::Argument(_)));
    }

    #[test]
    fn workflow_and_checklist_lines() {
        let text = "# T\n\n## Mandatory Workflow\n\n### Step 1: Scope\n\nDo.\n\n### Step 2: Load Memory\n\nDo.\n\n|\n\n## Compliance Checklist\n\n- [ ] Step 1: Scope\n";
        let (doc, offset) = at(text);
        assert!(matches!(site_at(&doc, offset), Site::WorkflowLine { after: 2, .. }));
        let (doc, offset) = at(&text
            .replace("- [ ] Step 1: Scope\n", "- [ ] Step 1: Scope\n- |\n")
            .replacen("|\n\n##", "\n\n##", 1));
        assert!(
            matches!(site_at(&doc, offset), Site::ChecklistLine { .. }),
            "{:?}",
            site_at(&doc, offset)
        );
    }

    #[test]
    fn targets_of_finished_text() {
        let (doc, offset) = at("---\nname: demo\nver|sion: \"1.0.0\"\n---\n# T\n\n`memoryStore.getSkillMemory(\"demo\", \"{project-name}\")` and SK201\n");
        assert!(matches!(target_at(&doc, offset), Target::Key { ref path, .. } if path == &["version"]));
        let text = doc.text.clone();
        let m = text.find("getSkill").unwrap() + 2;
        assert!(matches!(target_at(&doc, m), Target::Method(c) if c.method == "getSkillMemory"));
        let a = text.find("{project").unwrap();
        assert!(matches!(target_at(&doc, a), Target::Argument { index: 1, .. }));
        let code = text.find("SK201").unwrap() + 1;
        assert!(matches!(target_at(&doc, code), Target::RuleCode { ref code, .. } if code == "SK201"));
        assert!(matches!(target_at(&doc, text.find("# T").unwrap()), Target::Heading(0)));
    }

    // Half-typed text, read through the marker reparse: the cases where a
    // reading of the raw text and the model's parse could disagree.

    #[test]
    fn half_typed_arguments_are_the_models_arguments() {
        // A keyword with no value yet is a keyword argument being written.
        let (doc, offset) = at("# T\n\n`memoryStore.update(layer=\"skill-specific\", skill=|)`\n");
        let Site::Argument(c) = site_at(&doc, offset) else {
            panic!()
        };
        assert_eq!((c.active, c.args.len()), (1, 2));
        assert_eq!(c.args[1].keyword.as_ref().map(|k| k.0.as_str()), Some("skill"));
        assert!(!c.at_keyword);
        assert!(c.prefix.is_empty() && c.quote.is_none());
        // A keyword being typed in the middle keeps its whole name.
        let (doc, offset) = at("# T\n\n`memoryStore.update(sk|ill=\"x\")`\n");
        let Site::Argument(c) = site_at(&doc, offset) else {
            panic!()
        };
        assert_eq!(c.args[0].keyword.as_ref().map(|k| slice(&doc, k.1)), Some("skill"));
        // Nothing between two commas is an argument too: the cursor's is the third.
        let (doc, offset) = at("# T\n\n`memoryStore.update(\"a\", , |)`\n");
        let Site::Argument(c) = site_at(&doc, offset) else {
            panic!()
        };
        assert_eq!((c.active, c.args.len()), (2, 3));
        assert!(c.args[1].range.is_empty());
        // Inside an object argument being written, the cursor stays in it.
        let (doc, offset) = at("```\nmemoryStore.update(\"x\", {a: (|\n```\n");
        let Site::Argument(c) = site_at(&doc, offset) else {
            panic!()
        };
        assert_eq!((c.method.as_str(), c.active), ("update", 1));
        assert!(c.close.is_none());
    }

    #[test]
    fn a_code_span_still_being_typed_is_read_as_code() {
        // No closing backtick: Markdown reads prose, the reparse closes the span.
        let (doc, offset) = at("# T\n\n- Then `memoryStore.update(skill=\"x\", |\n- next\n");
        assert!(doc.md.code_spans.is_empty());
        let Site::Argument(c) = site_at(&doc, offset) else {
            panic!()
        };
        assert_eq!((c.method.as_str(), c.active, c.close), ("update", 1, None));
        // A call written in prose is no call (the checker sees none there either).
        let (doc, offset) = at("# T\n\nThen memoryStore.update(|\n");
        assert!(!matches!(site_at(&doc, offset), Site::Argument(_)));
        assert!(doc.calls.is_empty());
    }

    #[test]
    fn half_typed_front_matter_is_read_from_the_yaml_tree() {
        // An item of a flow list still open.
        let (doc, offset) = at("---\nname: demo\ntags: [python, fa|\n---\n# T\n");
        match site_at(&doc, offset) {
            Site::FrontMatterValue {
                path, prefix, in_list, ..
            } => {
                assert_eq!(path, ["tags"]);
                assert_eq!(slice(&doc, prefix), "fa");
                assert!(in_list);
            }
            other => panic!("{other:?}"),
        }
        // A string still open, in a list item's map.
        let (doc, offset) = at(&bare().replace("    - type: \"skill-specific\"", "    - type: \"pro|"));
        match site_at(&doc, offset) {
            Site::FrontMatterValue {
                path, quote, prefix, ..
            } => {
                assert_eq!(path, ["memory", "scopes", "*", "type"]);
                assert_eq!(quote, Some('"'));
                assert_eq!(slice(&doc, prefix), "pro");
            }
            other => panic!("{other:?}"),
        }
        // Right after `key:` and right after `-`.
        let (doc, offset) = at("---\nname: demo\nversion:|\n---\n# T\n");
        assert!(matches!(site_at(&doc, offset), Site::FrontMatterValue { ref path, .. } if path == &["version"]));
        let (doc, offset) = at(&bare().replace("      files: [a.md]", "      files: [a.md]\n    -|"));
        assert!(
            matches!(site_at(&doc, offset), Site::FrontMatterKey { ref path, .. } if path == &["memory", "scopes", "*"])
        );
        // The next line of a long plain value, and a block scalar, are text:
        // no key is typed there.
        let (doc, offset) = at("---\nname: demo\ndescription: Use it when\n  wr|\nversion: 1.0.0\n---\n# T\n");
        assert_eq!(site_at(&doc, offset), Site::None);
        let (doc, offset) = at("---\nname: demo\ndescription: >\n  Some|\nversion: 1.0.0\n---\n# T\n");
        assert_eq!(site_at(&doc, offset), Site::None);
        // A broken line after the cursor leaves the keys before it readable.
        let (doc, offset) = at("---\nname: demo\ncontext:\n  pri|\nmemory: [\n---\n# T\n");
        match site_at(&doc, offset) {
            Site::FrontMatterKey { path, prefix, .. } => {
                assert_eq!(path, ["context"]);
                assert_eq!(slice(&doc, prefix), "pri");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn no_panic_anywhere_in_unusual_text() {
        let text = "---\nname: ü😀\n  - : :\n- [\n---\n# ⚠️ `memoryStore.x(\"😀, ' `(` \n```\nmemoryStore.update(\"a\n";
        let doc = SkillDoc::parse(text, None);
        for offset in 0..=text.len() + 2 {
            let _ = site_at(&doc, offset);
            let _ = target_at(&doc, offset);
        }
    }
}
