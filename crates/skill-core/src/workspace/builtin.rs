//! The built-in catalogue, used where a workspace has no interface documents.
//!
//! It is a Markdown document of our own (`builtin.md`: one `## receiver`
//! section per interface, one heading per method), read by the same parser
//! as the workspace's interface documents, so both give the same shapes.

use std::sync::OnceLock;

use super::catalogue::{self, Catalogue, Interface, RECEIVERS};
use crate::syntax::markdown;

const TEXT: &str = include_str!("builtin.md");

/// The whole built-in catalogue, alternative forms included.
pub fn catalogue() -> Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(parse).clone()
}

/// The built-in interface of one receiver.
pub fn interface(receiver: &str) -> Option<Interface> {
    catalogue().interface(receiver).cloned()
}

fn parse() -> Catalogue {
    let md = markdown::parse(TEXT, 0);
    let mut interfaces = Vec::new();
    for (receiver, _, _) in RECEIVERS {
        let Some(i) = md.headings.iter().position(|h| h.level == 2 && h.text == *receiver) else {
            continue;
        };
        let section = md.section(i, TEXT.len());
        let mut methods = catalogue::parse_methods(TEXT, &md, section);
        // The headings point into this document, which no editor can open.
        for m in &mut methods {
            m.heading = None;
        }
        let mut iface = Interface {
            receiver: receiver.to_string(),
            doc: None,
            methods,
        };
        catalogue::add_alt_forms(&mut iface);
        interfaces.push(iface);
    }
    Catalogue { interfaces }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_receiver_has_its_methods() {
        let c = catalogue();
        let count = |r: &str| c.interface(r).map_or(0, |i| i.methods.len());
        assert_eq!(
            (
                count("memoryStore"),
                count("contextProvider"),
                count("skillInvoker"),
                count("executionContext")
            ),
            (15, 11, 5, 11)
        );
        let m = c.method("memoryStore", "getSkillMemory").unwrap();
        assert_eq!(m.signature(), "getSkillMemory(skillName, projectName)");
        assert_eq!(m.returns.as_deref(), Some("MemoryEntry[]"));
        assert!(m.docs.starts_with("Loads every memory file"), "{}", m.docs);
        assert!(c.method("contextProvider", "getIndex").is_none());
        assert_eq!(c.method("memoryStore", "update").unwrap().alt_forms.len(), 2);
        let s = c.method("contextProvider", "materializeSections").unwrap();
        assert!(s.params[1].list);
    }

    #[test]
    fn matches_the_forge_interface_documents_method_for_method() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/skills/interfaces");
        let builtin = catalogue();
        for (receiver, file, _) in &RECEIVERS[..3] {
            let text = std::fs::read_to_string(root.join(file)).unwrap();
            let doc = super::catalogue::parse_interface(receiver, &text, None);
            let b = builtin.interface(receiver).unwrap();
            let sig = |i: &Interface| i.methods.iter().map(|m| m.signature()).collect::<Vec<_>>();
            assert_eq!(sig(&doc), sig(b), "{receiver}");
        }
    }
}
