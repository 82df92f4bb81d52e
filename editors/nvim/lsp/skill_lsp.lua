-- Neovim 0.11+: `vim.lsp.enable("skill_lsp")` finds this file on the
-- runtimepath and starts skill-lsp for SKILL.md buffers with the default
-- settings. Override with `vim.lsp.config("skill_lsp", {...})` or use
-- `require("skill_lsp").setup({...})`.
return require("skill_lsp").native_config()
