--- `:checkhealth skill_lsp`: is setup done, is the server found and does it
--- run, which Neovim API attaches it, is it attached to the current buffer.

local M = {}

-- The health API moved: `require("health").report_*` (0.7),
-- `vim.health.report_*` (0.8-0.9), `vim.health.*` (0.10+).
local function reporter()
  local h = vim.health
  if h ~= nil and h.start ~= nil then
    return { start = h.start, ok = h.ok, warn = h.warn, error = h.error, info = h.info }
  end
  h = (h ~= nil and h.report_start ~= nil) and h or require("health")
  return { start = h.report_start, ok = h.report_ok, warn = h.report_warn, error = h.report_error, info = h.report_info }
end

-- The config `vim.lsp.enable(name)` starts (Neovim 0.11+), when it is
-- enabled, or nil.
local function enabled_config(name)
  local lsp = vim.lsp
  if lsp.config == nil or lsp.enable == nil then
    return nil
  end
  local enabled
  if lsp.is_enabled ~= nil then
    enabled = lsp.is_enabled(name)
  else
    -- Early 0.11 releases have no is_enabled: the configs it keeps.
    enabled = type(lsp._enabled_configs) == "table" and lsp._enabled_configs[name] ~= nil
  end
  if not enabled then
    return nil
  end
  local ok, config = pcall(function()
    return lsp.config[name]
  end)
  return ok and config or nil
end

local install_hint = "Install it with `cargo install --path crates/skill-lsp` from the skill-lsp repository, "
  .. "or pass its full path: require('skill_lsp').setup({ cmd = { '/path/to/skill-lsp' } })"

-- Whether the server `exe` runs, and its version.
local function check_server(report, exe)
  if exe == nil or exe == "" then
    report.error("`cmd` is empty.", { install_hint })
    return
  end
  if vim.fn.executable(exe) ~= 1 then
    report.error("The server `" .. exe .. "` is not executable or not on PATH.", { install_hint })
    return
  end
  report.ok("Server found: " .. vim.fn.exepath(exe))
  local out = vim.fn.system({ exe, "--version" })
  if vim.v.shell_error ~= 0 then
    report.error("`" .. exe .. " --version` failed: " .. vim.trim(out))
  else
    report.ok("Version: " .. vim.trim(out))
  end
end

function M.check()
  local report = reporter()
  local skill_lsp = require("skill_lsp")

  report.start("skill-lsp: setup")
  if vim.fn.has("nvim-0.7") == 0 then
    report.error("Neovim 0.7 or newer is needed.")
  end
  report.info("Neovim API in use: " .. skill_lsp.api())
  local opts = skill_lsp.options
  local cmd
  if opts ~= nil then
    cmd = opts.cmd
    report.ok("setup() called; attaches to " .. table.concat(opts.filenames, ", ")
      .. (#opts.patterns > 0 and (" and files matching " .. table.concat(opts.patterns, ", ")) or ""))
  else
    local native = enabled_config(skill_lsp.name)
    if native == nil then
      report.warn("require('skill_lsp').setup() has not been called: no SKILL.md buffer will start the server.", {
        "Add require('skill_lsp').setup({}) to your init.lua, or on Neovim 0.11+ vim.lsp.enable('skill_lsp')",
      })
      return
    end
    cmd = native.cmd
    report.ok("Enabled with vim.lsp.enable('" .. skill_lsp.name .. "') (lsp/skill_lsp.lua and vim.lsp.config), "
      .. "without setup(); attaches to SKILL.md")
  end

  report.start("skill-lsp: server")
  if type(cmd) == "function" then
    report.info("`cmd` is a function: the server is whatever it starts.")
  else
    check_server(report, type(cmd) == "table" and cmd[1] or nil)
  end

  report.start("skill-lsp: clients")
  local clients = skill_lsp.clients()
  if #clients == 0 then
    report.info("No skill-lsp client is running (open a SKILL.md file to start one).")
  end
  for _, client in ipairs(clients) do
    report.ok(string.format("Client %d running for %s", client.id, client.config.root_dir or "(no root)"))
  end
  report.info("Server messages and errors go to the LSP log: " .. skill_lsp.log_path() .. " (:SkillLspLog)")
end

return M
