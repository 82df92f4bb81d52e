//! The interface catalogue: receivers, their methods and accepted call forms,
//! read from the interface documents' method headings.

use std::path::PathBuf;

use crate::text::TextRange;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    pub name: String,
    /// Written `name?` in the interface document.
    pub optional: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Method {
    pub name: String,
    pub params: Vec<Param>,
    pub returns: Option<String>,
    /// The method's documentation (the text under its heading), Markdown.
    pub docs: String,
    /// The method's heading in its interface document.
    pub heading: Option<TextRange>,
    /// Other parameter lists real skills use and the catalogue accepts
    /// (`update(skill, project, filename, content)`).
    pub alt_forms: Vec<Vec<Param>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    /// `memoryStore`, `contextProvider`, `skillInvoker`.
    pub receiver: String,
    /// The interface document, when read from the workspace.
    pub doc: Option<PathBuf>,
    pub methods: Vec<Method>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalogue {
    pub interfaces: Vec<Interface>,
}

impl Catalogue {
    pub fn interface(&self, receiver: &str) -> Option<&Interface> {
        self.interfaces.iter().find(|i| i.receiver == receiver)
    }

    pub fn method(&self, receiver: &str, method: &str) -> Option<&Method> {
        self.interface(receiver)?.methods.iter().find(|m| m.name == method)
    }
}
