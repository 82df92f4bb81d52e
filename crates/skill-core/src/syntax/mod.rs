//! Syntax layers: locating the front matter, the spanned YAML tree, the Markdown structure.

pub mod frontmatter;
pub mod markdown;
mod markdown_doc;
#[doc(hidden)]
pub mod markdown_lines;
pub mod markdown_reparse;
pub mod yaml;
pub mod yaml_fast;
pub mod yaml_tree;
