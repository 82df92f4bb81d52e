--- skill-lsp for Neovim: starts the `skill-lsp` language server for SKILL.md
--- buffers and the interface documents of a skills root (`interfaces/*.md`)
--- and passes it settings. Everything else (diagnostics, fixes, completion,
--- hover, go-to-definition, code lenses) comes from the server.
---
---   require("skill_lsp").setup({ cmd = { "skill-lsp" }, settings = { rules = { SK104 = "off" } } })
---
--- Works on Neovim 0.7 and newer: `vim.lsp.config`/`vim.lsp.enable` on 0.11+,
--- `vim.lsp.start` on 0.8-0.10, `vim.lsp.start_client` on 0.7.

local M = {}

--- The client's name, as `:LspInfo`, `:checkhealth` and `vim.lsp.enable` know it.
M.name = "skill_lsp"

--- The settings section the server reads (`workspace/configuration`).
M.section = "skillLsp"

local defaults = {
  -- The server command. `skill-lsp` with no arguments serves LSP over stdio.
  cmd = { "skill-lsp" },
  -- Buffers whose file name (last path component) is one of these attach.
  filenames = { "SKILL.md" },
  -- Buffers whose full path matches one of these globs attach too
  -- (e.g. "*/drafts/*.md").
  patterns = {},
  -- Attach the interface documents of a skills root too (a `.md` file in a
  -- folder named `interfaces`), sent as Markdown: the server does not check
  -- them as skills; it shows above each method how many skills use it.
  interfaces = true,
  -- Filetypes the server is enabled for on Neovim 0.11+ (`vim.lsp.enable`
  -- starts clients on FileType); the file name still has to match.
  filetypes = { "markdown" },
  -- The workspace root is the nearest folder above the file holding one of
  -- these (the skills root holds `interfaces/`); failing that, one holding
  -- any of `fallback_markers`; failing that, the file's own folder.
  root_markers = { "interfaces", "skill-lsp.toml" },
  fallback_markers = { ".git" },
  -- Server settings, mirroring skill-lsp.toml:
  --   { rules = { SK104 = "off", SK209 = "warning" }, workflow = { steps = 7 } }
  settings = {},
  -- Passed through to the client.
  on_attach = nil,
  on_exit = nil,
  capabilities = nil,
  -- Create :SkillLspRestart and :SkillLspLog.
  commands = true,
}

--- The options in force (after setup), or nil before setup.
M.options = nil

--- Which Neovim API attaches clients: "vim.lsp.enable", "vim.lsp.start" or
--- "vim.lsp.start_client".
function M.api()
  if vim.fn.has("nvim-0.11") == 1 and vim.lsp.enable ~= nil and vim.lsp.config ~= nil then
    return "vim.lsp.enable"
  elseif vim.lsp.start ~= nil then
    return "vim.lsp.start"
  else
    return "vim.lsp.start_client"
  end
end

local sep = package.config:sub(1, 1)
local uv = vim.loop or vim.uv

local function basename(path)
  return vim.fn.fnamemodify(path, ":t")
end

local function parent(dir)
  return vim.fn.fnamemodify(dir, ":h")
end

local function exists(path)
  return uv.fs_stat(path) ~= nil
end

-- Nearest folder at or above `dir` holding one of `markers`, or nil.
local function find_up(dir, markers)
  while dir ~= nil and dir ~= "" do
    for _, marker in ipairs(markers) do
      if exists(dir .. sep .. marker) then
        return dir
      end
    end
    local up = parent(dir)
    if up == dir then
      return nil
    end
    dir = up
  end
  return nil
end

--- The workspace root for a file: see `root_markers` above.
function M.find_root(path, opts)
  opts = opts or M.options or defaults
  local dir = parent(vim.fn.fnamemodify(path, ":p"))
  return find_up(dir, opts.root_markers) or find_up(dir, opts.fallback_markers) or dir
end

--- Whether the file at `path` is an interface document of a skills root: a
--- `.md` file directly in a folder named `interfaces`.
function M.is_interface_file(path)
  if path == nil or path == "" then
    return false
  end
  local name = basename(path)
  return name:lower():match("%.md$") ~= nil and basename(parent(path)) == "interfaces"
end

--- Whether the server should see the file at `path`: a skill, or (unless
--- `interfaces = false`) an interface document.
function M.attaches_to(path, opts)
  opts = opts or M.options or defaults
  return M.is_skill_file(path, opts) or (opts.interfaces ~= false and M.is_interface_file(path))
end

--- Whether the file at `path` is a skill the server should see.
function M.is_skill_file(path, opts)
  opts = opts or M.options or defaults
  if path == nil or path == "" then
    return false
  end
  local name = basename(path)
  for _, wanted in ipairs(opts.filenames) do
    if name == wanted then
      return true
    end
  end
  for _, glob in ipairs(opts.patterns) do
    if vim.fn.match(path, vim.fn.glob2regpat(glob)) >= 0 then
      return true
    end
  end
  return false
end

local function buf_path(bufnr)
  if not vim.api.nvim_buf_is_valid(bufnr) or vim.bo[bufnr].buftype ~= "" then
    return nil
  end
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == "" then
    return nil
  end
  return name
end

local islist = vim.islist or vim.tbl_islist

-- Empty Lua tables encode as JSON arrays; settings are maps all the way down.
local function as_map(value)
  if type(value) ~= "table" or islist(value) and next(value) ~= nil then
    return value
  end
  if next(value) == nil then
    return vim.empty_dict()
  end
  local out = {}
  for k, v in pairs(value) do
    out[k] = as_map(v)
  end
  return out
end

-- Settings as the server reads them: under `skillLsp` (the section it asks
-- for), whether or not the user wrapped them.
local function wrapped_settings(settings)
  settings = settings or {}
  if settings[M.section] == nil then
    settings = { [M.section] = settings }
  end
  return as_map(settings)
end

-- The server checks documents named SKILL.md, and any document whose
-- language is `skill`: files attached through `patterns` are sent as `skill`.
-- Interface documents keep their own filetype (Markdown).
local function get_language_id(bufnr, filetype)
  local path = vim.api.nvim_buf_get_name(bufnr)
  if basename(path):upper() == "SKILL.MD" or M.is_interface_file(path) then
    return filetype
  end
  return "skill"
end

-- The lens "used by N skills" above an interface method runs this client-side
-- command with `[uri, position, locations]`: the uses go to the quickfix list.
local SHOW_REFERENCES = "skill-lsp.showReferences"

local function show_references(command, ctx)
  local locations = command.arguments and command.arguments[3] or {}
  local client = ctx and ctx.client_id and vim.lsp.get_client_by_id(ctx.client_id)
  local encoding = client and client.offset_encoding or "utf-16"
  local items = vim.lsp.util.locations_to_items(locations, encoding)
  vim.fn.setqflist({}, " ", { title = command.title, items = items })
  if #items > 0 then
    vim.cmd("copen")
  else
    vim.notify(command.title, vim.log.levels.INFO)
  end
end

-- Registered when the plugin is loaded, so `vim.lsp.enable("skill_lsp")`
-- without setup() has it too; a handler the user set is kept.
if vim.lsp.commands ~= nil and vim.lsp.commands[SHOW_REFERENCES] == nil then
  vim.lsp.commands[SHOW_REFERENCES] = show_references
end

local function on_init(client)
  -- Neovim before 0.10 does not send the settings by itself.
  if vim.fn.has("nvim-0.10") == 0 and client.config.settings ~= nil then
    client.notify("workspace/didChangeConfiguration", { settings = client.config.settings })
  end
end

--- The client configuration (name, cmd, settings, ...) without root_dir.
function M.client_config(opts)
  opts = opts or M.options or defaults
  local settings = wrapped_settings(opts.settings)
  return {
    name = M.name,
    cmd = opts.cmd,
    filetypes = opts.filetypes,
    settings = settings,
    init_options = settings[M.section],
    on_attach = opts.on_attach,
    on_init = on_init,
    get_language_id = get_language_id,
    on_exit = opts.on_exit,
    capabilities = opts.capabilities,
  }
end

-- The client started for each root: Neovim 0.7 starts one per root with
-- start_client; on 0.8-0.10 vim.lsp.start picks it, and this remembers it
-- because their client lists leave out clients still initializing.
local clients_by_root = {}

local function client_alive(id)
  local client = id and vim.lsp.get_client_by_id(id)
  return client ~= nil and not client:is_stopped()
end

-- `vim.lsp.start`'s test for joining a running client (0.9+): same name and
-- root, and not stopped. Neovim 0.10 keeps a stopped client listed for a
-- moment, and its own test would hand a restarted buffer back to it.
local function reuse_client(client, config)
  return client.name == config.name and client.config.root_dir == config.root_dir and not client:is_stopped()
end

local function attach(bufnr)
  local path = buf_path(bufnr)
  if path == nil or not M.attaches_to(path) then
    return nil
  end
  local root = M.find_root(path)
  local config = M.client_config()
  config.root_dir = root
  local api = M.api()
  if api == "vim.lsp.start" then
    local id
    vim.api.nvim_buf_call(bufnr, function()
      id = vim.lsp.start(config, { bufnr = bufnr, reuse_client = reuse_client })
    end)
    if id ~= nil then
      clients_by_root[root] = id
    end
    return id
  end
  local id = clients_by_root[root]
  if not client_alive(id) then
    id = vim.lsp.start_client(config)
    clients_by_root[root] = id
  end
  if id ~= nil then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

--- Attaches the server to a buffer when it is a skill file (0.7-0.10; on
--- 0.11+ `vim.lsp.enable` does this). Returns the client id, or nil.
function M.attach(bufnr)
  if M.options == nil then
    error("skill_lsp: call require('skill_lsp').setup() first")
  end
  if M.api() == "vim.lsp.enable" then
    return nil
  end
  return attach(bufnr or vim.api.nvim_get_current_buf())
end

--- The running skill-lsp clients, including those still initializing.
function M.clients()
  local out, seen = {}, {}
  local all = vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()
  for _, client in ipairs(all) do
    if client.name == M.name then
      table.insert(out, client)
      seen[client.id] = true
    end
  end
  -- Neovim 0.7-0.9 list a client as active only once it has initialized.
  for _, id in pairs(clients_by_root) do
    local client = vim.lsp.get_client_by_id(id)
    if client ~= nil and not seen[id] and not client:is_stopped() then
      table.insert(out, client)
      seen[id] = true
    end
  end
  return out
end

local function reattach_all()
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) then
      if M.api() == "vim.lsp.enable" then
        -- What vim.lsp.enable does on FileType, for the buffers already open.
        local path = buf_path(bufnr)
        if path ~= nil and M.attaches_to(path) then
          local config = vim.deepcopy(vim.lsp.config[M.name])
          config.name = M.name
          config.root_dir = M.find_root(path)
          vim.lsp.start(config, { bufnr = bufnr, reuse_client = reuse_client })
        end
      else
        attach(bufnr)
      end
    end
  end
end

--- Stops the running clients and starts them again for the open skills.
function M.restart()
  local running = M.clients()
  for _, client in ipairs(running) do
    -- The same call on every version (0.11 made client.stop a method).
    vim.lsp.stop_client(client.id)
  end
  clients_by_root = {}
  vim.wait(2000, function()
    for _, client in ipairs(running) do
      if not client:is_stopped() then
        return false
      end
    end
    return true
  end, 20)
  reattach_all()
end

--- The LSP log's path. `vim.lsp.log.get_filename()` is there on every
--- Neovim since 0.5; `vim.lsp.get_log_path()`, its old alias, is deprecated
--- from 0.12.
function M.log_path()
  local log = vim.lsp.log
  if log ~= nil and log.get_filename ~= nil then
    return log.get_filename()
  end
  return vim.lsp.get_log_path()
end

--- The LSP log, where Neovim writes the server's stderr and protocol errors.
function M.open_log()
  vim.cmd("tabnew " .. vim.fn.fnameescape(M.log_path()))
end

--- The configuration for `vim.lsp.config` (Neovim 0.11+): only skill files
--- get a root, so only they start a client. `lsp/skill_lsp.lua` returns it
--- with the defaults, so `vim.lsp.enable("skill_lsp")` works without setup().
function M.native_config(opts)
  local config = M.client_config(opts)
  config.name = nil
  config.root_dir = function(bufnr, on_dir)
    local path = buf_path(bufnr)
    if path ~= nil and M.attaches_to(path, opts) then
      on_dir(M.find_root(path, opts))
    end
  end
  return config
end

local function enable_native(opts)
  vim.lsp.config(M.name, M.native_config(opts))
  vim.lsp.enable(M.name)
end

--- Configures and enables the server. `opts` fields are those of `defaults`
--- above; see `:help skill_lsp`.
function M.setup(opts)
  local user = opts or {}
  opts = vim.tbl_deep_extend("force", vim.deepcopy(defaults), user)
  -- Lists replace the defaults rather than merging index by index.
  for _, key in ipairs({ "cmd", "filenames", "patterns", "filetypes", "root_markers", "fallback_markers" }) do
    if user[key] ~= nil then
      if type(user[key]) ~= "table" then
        error(string.format("skill_lsp.setup: `%s` must be a list", key))
      end
      opts[key] = user[key]
    end
  end
  M.options = opts

  if opts.commands then
    vim.api.nvim_create_user_command("SkillLspRestart", function()
      M.restart()
    end, { desc = "Restart the skill-lsp language server" })
    vim.api.nvim_create_user_command("SkillLspLog", function()
      M.open_log()
    end, { desc = "Open the LSP log (skill-lsp's messages and errors)" })
  end

  if M.api() == "vim.lsp.enable" then
    enable_native(opts)
    return
  end

  local group = vim.api.nvim_create_augroup("skill_lsp", { clear = true })
  vim.api.nvim_create_autocmd({ "BufReadPost", "BufNewFile", "BufFilePost" }, {
    group = group,
    callback = function(args)
      attach(args.buf)
    end,
  })
  -- Buffers already open when setup runs (lazy loading).
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) then
      attach(bufnr)
    end
  end
end

return M
