//! Syntax layers: locating the front matter, the spanned YAML tree, the Markdown structure.

pub mod frontmatter;
pub mod markdown;
pub mod markdown_reparse;
pub mod yaml;
pub mod yaml_fast;
pub mod yaml_tree;
