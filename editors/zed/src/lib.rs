//! Zed extension for skill-lsp: starts the `skill-lsp` binary (from the
//! `lsp.skill-lsp.binary` settings, else from PATH) for Markdown files and
//! passes it the `lsp.skill-lsp.settings` under the `skillLsp` section. The
//! server checks files named SKILL.md and leaves other Markdown alone.

use zed_extension_api::{self as zed, serde_json, settings::LspSettings, LanguageServerId, Result};

/// The server's name, in extension.toml and in Zed's `lsp` settings.
const SERVER: &str = "skill-lsp";
/// The settings section the server reads.
const SECTION: &str = "skillLsp";

struct SkillLsp;

impl SkillLsp {
    /// `{"skillLsp": settings}`, as the server asks for it, or nothing.
    fn section(settings: Option<serde_json::Value>) -> Option<serde_json::Value> {
        settings.map(|s| serde_json::json!({ SECTION: s }))
    }
}

impl zed::Extension for SkillLsp {
    fn new() -> Self {
        SkillLsp
    }

    fn language_server_command(&mut self, _id: &LanguageServerId, worktree: &zed::Worktree) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree(SERVER, worktree).ok().and_then(|s| s.binary);
        let args = binary.as_ref().and_then(|b| b.arguments.clone()).unwrap_or_default();
        let mut env = worktree.shell_env();
        if let Some(extra) = binary.as_ref().and_then(|b| b.env.clone()) {
            env.extend(extra);
        }
        let command = match binary.and_then(|b| b.path) {
            Some(path) => path,
            None => worktree.which(SERVER).ok_or_else(|| {
                "skill-lsp was not found on PATH. Install it with `cargo install --path crates/skill-lsp` \
                 from the skill-lsp repository, or set lsp.skill-lsp.binary.path in Zed's settings."
                    .to_string()
            })?,
        };
        Ok(zed::Command { command, args, env })
    }

    fn language_server_initialization_options(
        &mut self,
        _id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        let settings = LspSettings::for_worktree(SERVER, worktree).ok();
        Ok(settings.and_then(|s| s.initialization_options.or(s.settings)))
    }

    fn language_server_workspace_configuration(
        &mut self,
        _id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        let settings = LspSettings::for_worktree(SERVER, worktree)
            .ok()
            .and_then(|s| s.settings);
        Ok(Self::section(settings))
    }
}

zed::register_extension!(SkillLsp);
