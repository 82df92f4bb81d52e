//! The clients that load skills in the open Agent Skills format, and what
//! each one documents beyond the standard: its own front matter keys (listed
//! per key in `schemas/agentskills.schema.json`, `x-clients`), and for Claude
//! Code the tool names `allowed-tools` grants and the model aliases `model`
//! takes.
//!
//! Which clients count is a setting (`clients` in `skill-lsp.toml`, the
//! editor's `skillLsp.clients`); by default every client here counts, so a
//! key any of them defines is known. The knowledge is kept as data, with the
//! pages it comes from (`docs/profiles.md` cites them), so that a client's
//! next release is one list to update.

/// A client that loads skills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Client {
    ClaudeCode,
    Copilot,
    Codex,
    Cursor,
    Gemini,
}

impl Client {
    /// Every client, in the order they are documented.
    pub const ALL: [Client; 5] = [
        Client::ClaudeCode,
        Client::Copilot,
        Client::Codex,
        Client::Cursor,
        Client::Gemini,
    ];

    /// The name used in `skill-lsp.toml`, settings and the schema's `x-clients`.
    pub const fn id(self) -> &'static str {
        match self {
            Client::ClaudeCode => "claude-code",
            Client::Copilot => "copilot",
            Client::Codex => "codex",
            Client::Cursor => "cursor",
            Client::Gemini => "gemini",
        }
    }

    /// The product's name, for messages.
    pub const fn title(self) -> &'static str {
        match self {
            Client::ClaudeCode => "Claude Code",
            Client::Copilot => "GitHub Copilot",
            Client::Codex => "OpenAI Codex",
            Client::Cursor => "Cursor",
            Client::Gemini => "Gemini CLI",
        }
    }

    /// Reads a client name: its id, or a common spelling of the product
    /// (`Claude`, `github-copilot`, `vscode`, `gemini-cli`), in any case.
    pub fn parse(name: &str) -> Option<Client> {
        let n = name.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        match n.as_str() {
            "claude-code" | "claude" | "claudecode" => Some(Client::ClaudeCode),
            "copilot" | "github-copilot" | "copilot-cli" | "vscode" | "vs-code" => Some(Client::Copilot),
            "codex" | "openai-codex" | "codex-cli" => Some(Client::Codex),
            "cursor" => Some(Client::Cursor),
            "gemini" | "gemini-cli" => Some(Client::Gemini),
            _ => None,
        }
    }

    const fn bit(self) -> u8 {
        1 << self as u8
    }
}

impl std::fmt::Display for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// The clients a workspace writes skills for; every client by default.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Clients(u8);

impl Clients {
    /// Every client: the default.
    pub const ALL: Clients = Clients(0b1_1111);

    /// The clients named; the first name no client has is the error.
    pub fn parse<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Clients, String> {
        let mut bits = 0;
        for name in names {
            bits |= Client::parse(name).ok_or_else(|| name.to_string())?.bit();
        }
        Ok(Clients(bits))
    }

    pub fn contains(self, client: Client) -> bool {
        self.0 & client.bit() != 0
    }

    /// Whether every client counts.
    pub fn is_all(self) -> bool {
        self == Clients::ALL
    }

    /// The clients that count, in documented order.
    pub fn iter(self) -> impl Iterator<Item = Client> {
        Client::ALL.into_iter().filter(move |c| self.contains(*c))
    }

    /// Whether a schema property listed for `ids` (its `x-clients`) counts:
    /// one of the standard's own, or defined by a client that counts. A
    /// property with no list is the schema's own and always counts.
    pub fn count_key(self, ids: &[String]) -> bool {
        ids.is_empty()
            || ids
                .iter()
                .any(|id| id == "standard" || Client::parse(id).is_some_and(|c| self.contains(c)))
    }

    /// `Claude Code, OpenAI Codex` (or `none`).
    pub fn titles(self) -> String {
        let names: Vec<&str> = self.iter().map(Client::title).collect();
        if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        }
    }
}

impl Default for Clients {
    fn default() -> Self {
        Clients::ALL
    }
}

impl std::fmt::Debug for Clients {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter().map(Client::id)).finish()
    }
}

/// What Claude Code documents about `allowed-tools` and `model`.
pub mod claude_code {
    /// The built-in tools, by the exact names permission rules and
    /// `allowed-tools` use (Claude Code's tools reference,
    /// <https://code.claude.com/docs/en/tools-reference>).
    pub const TOOLS: &[&str] = &[
        "Agent",
        "AskUserQuestion",
        "Bash",
        "CronCreate",
        "CronDelete",
        "CronList",
        "Edit",
        "EnterPlanMode",
        "EnterWorktree",
        "ExitPlanMode",
        "ExitWorktree",
        "Glob",
        "Grep",
        "ListMcpResourcesTool",
        "LSP",
        "Monitor",
        "NotebookEdit",
        "PowerShell",
        "Read",
        "ReadMcpResourceTool",
        "SendMessage",
        "Skill",
        "TaskCreate",
        "TaskGet",
        "TaskList",
        "TaskOutput",
        "TaskStop",
        "TaskUpdate",
        "TeamCreate",
        "TeamDelete",
        "TodoWrite",
        "ToolSearch",
        "WebFetch",
        "WebSearch",
        "Write",
    ];

    /// Names earlier releases used, still found in published skills and
    /// still matched: `Task` (now `Agent`), `MultiEdit`, `LS`,
    /// `NotebookRead`, `TodoRead`, the background-shell tools.
    pub const EARLIER_TOOLS: &[&str] = &[
        "Task",
        "MultiEdit",
        "LS",
        "NotebookRead",
        "TodoRead",
        "BashOutput",
        "KillShell",
        "KillBash",
    ];

    /// The model aliases `model` takes besides a full model id
    /// (<https://code.claude.com/docs/en/model-config>); each may end in `[1m]`.
    pub const MODEL_ALIASES: &[&str] = &["default", "best", "sonnet", "opus", "haiku", "opusplan", "inherit"];

    /// Whether `name` is a tool Claude Code knows, now or under an earlier name.
    pub fn is_tool(name: &str) -> bool {
        TOOLS.contains(&name) || EARLIER_TOOLS.contains(&name)
    }

    /// The known tool `name` most likely means: the same name in another
    /// case, or the one a letter or two away (`Grpe`); none when two are.
    pub fn closest_tool(name: &str) -> Option<&'static str> {
        let all = || TOOLS.iter().chain(EARLIER_TOOLS).copied();
        if let Some(same) = all().find(|t| t.eq_ignore_ascii_case(name)) {
            return Some(same);
        }
        let lower = name.to_ascii_lowercase();
        let mut close = all().filter(|t| {
            let limit = if t.len() <= 4 { 1 } else { 2 };
            strsim::damerau_levenshtein(&t.to_ascii_lowercase(), &lower) <= limit
        });
        let first = close.next()?;
        // Two candidates equally plausible: no guess.
        close.next().is_none().then_some(first)
    }

    /// Whether `model` is an alias (`sonnet`, `opus[1m]`).
    pub fn is_model_alias(model: &str) -> bool {
        let bare = model.strip_suffix("[1m]").unwrap_or(model);
        MODEL_ALIASES.iter().any(|a| a.eq_ignore_ascii_case(bare))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_names_and_sets() {
        assert_eq!(Client::parse("Claude Code"), Some(Client::ClaudeCode));
        assert_eq!(Client::parse("github_copilot"), Some(Client::Copilot));
        assert_eq!(Client::parse("gemini-cli"), Some(Client::Gemini));
        assert_eq!(Client::parse("windsurf"), None);
        for c in Client::ALL {
            assert_eq!(Client::parse(c.id()), Some(c));
        }
        let codex = Clients::parse(["codex"]).unwrap();
        assert!(codex.contains(Client::Codex) && !codex.contains(Client::ClaudeCode));
        assert!(!codex.is_all() && Clients::default().is_all());
        assert_eq!(Clients::parse(["codex", "zed"]), Err("zed".to_string()));
        assert_eq!(format!("{codex:?}"), "[\"codex\"]");
        assert_eq!(
            Clients::parse(["cursor", "claude"]).unwrap().titles(),
            "Claude Code, Cursor"
        );
        let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(codex.count_key(&ids(&["standard"])));
        assert!(codex.count_key(&[]));
        assert!(!codex.count_key(&ids(&["claude-code", "cursor"])));
        assert!(Clients::ALL.count_key(&ids(&["cursor"])));
    }

    #[test]
    fn claude_code_tools_and_models() {
        use claude_code::*;
        assert!(is_tool("Read") && is_tool("Task") && !is_tool("read"));
        assert_eq!(closest_tool("read"), Some("Read"));
        assert_eq!(closest_tool("Grpe"), Some("Grep"));
        assert_eq!(closest_tool("Browser"), None);
        assert_eq!(closest_tool("Deploy"), None);
        assert!(is_model_alias("sonnet") && is_model_alias("opus[1m]") && is_model_alias("Haiku"));
        assert!(!is_model_alias("sonet") && !is_model_alias("claude-sonnet-4-5"));
    }
}
