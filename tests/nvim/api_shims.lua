-- TEST SHIMS, NOT PART OF THE PLUGIN. They stand in for the Neovim APIs newer
-- than the Neovim the tests run on, so that the plugin's version branches
-- (editors/nvim/lua/skill_lsp/init.lua, `M.api()`) run against the real
-- server on Neovim 0.7. No registry here ships Neovim 0.8-0.10, so the "0.9"
-- level is the only way their branch runs; the 0.11+ branch also runs for
-- real (scripts/test-editors.sh runs these tests on real 0.11 and 0.12, where
-- the "0.11" level only records the real API's calls):
--
--   "0.9"   Neovim 0.8-0.10: `vim.lsp.start(config, opts)`.
--   "0.11"  Neovim 0.11+: also `vim.lsp.config` (a callable table),
--           `vim.lsp.enable(name)`, `vim.lsp.get_clients(filter)` (0.10+),
--           and `vim.fn.has("nvim-0.11") == 1`.
--
-- Each shim does what that Neovim documents, built from the 0.7 API
-- (`vim.lsp.start_client`, `vim.lsp.buf_attach_client`), and records its
-- calls for the checks to assert on. A `vim.lsp.start` the running Neovim
-- has already is wrapped (recorded, then called), not replaced;
-- `vim.lsp.config`/`vim.lsp.enable` are always the recording fakes at "0.11"
-- and removed at "0.9", and `vim.fn.has` answers for versions as the level
-- would, so a newer Neovim runs the same checks the same way.
--
-- Used by tests/nvim/lsp_check.lua when SKILL_LSP_SHIM is set:
--
--   local shims = dofile("tests/nvim/api_shims.lua").install("0.11")
--   shims.starts      configs passed to vim.lsp.start, in order
--   shims.registered  name -> config passed to vim.lsp.config(name, config)
--   shims.enabled     names passed to vim.lsp.enable, in order

local M = {}

-- The Neovim versions each shim level claims to be at least, and those it
-- claims not to be (so that a newer Neovim running the tests plays along).
local claims = {
  ["0.9"] = { is = { "nvim-0.8", "nvim-0.9" }, is_not = { "nvim-0.10", "nvim-0.11" } },
  ["0.11"] = { is = { "nvim-0.8", "nvim-0.9", "nvim-0.10", "nvim-0.11" }, is_not = {} },
}

-- `vim.fn.has` answering as the claimed version does for versions, the real
-- answer for everything else.
local function fake_has(level)
  local answer = {}
  for _, feature in ipairs(claims[level].is) do
    answer[feature] = 1
  end
  for _, feature in ipairs(claims[level].is_not) do
    answer[feature] = 0
  end
  local real_has = vim.fn.has
  -- vim.fn is a table that creates its entries lazily; a plain field wins.
  rawset(vim.fn, "has", function(feature)
    return answer[feature] or real_has(feature)
  end)
end

-- `vim.lsp.start` as Neovim 0.8 documents it: reuse a running client with
-- the same name and root_dir, else start one; attach the buffer; return the
-- client id. 0.8 and 0.9 attach the current buffer (`opts.bufnr` came in
-- 0.10); 0.10+ honour `opts.bufnr`. As Neovim 0.10 does, a client that has
-- stopped stays among the candidates for a moment (here a second after its
-- process exits), and the default reuse test does not look at that.
local function start_shim(level)
  -- id -> client, for every client started and not yet forgotten.
  local known = {}
  return function(config, opts)
    opts = opts or {}
    local bufnr = vim.api.nvim_get_current_buf()
    if level ~= "0.9" and opts.bufnr ~= nil then
      bufnr = opts.bufnr
    end
    config.name = config.name or (config.cmd and config.cmd[1] and vim.fn.fnamemodify(config.cmd[1], ":t"))
    local reuse = opts.reuse_client
      or function(client, conf)
        return client.config.root_dir == conf.root_dir and client.name == conf.name
      end
    -- 0.8 looks among the initializing clients too; 0.7 lists only the
    -- initialized ones, so the shim also remembers the ids it started.
    local candidates, listed = vim.lsp.get_active_clients(), {}
    for _, client in ipairs(candidates) do
      listed[client.id] = true
    end
    for id, client in pairs(known) do
      if not listed[id] then
        table.insert(candidates, client)
      end
    end
    for _, client in ipairs(candidates) do
      if reuse(client, config) then
        vim.lsp.buf_attach_client(bufnr, client.id)
        return client.id
      end
    end
    local on_exit = config.on_exit
    config.on_exit = function(code, signal, id)
      if on_exit ~= nil then
        on_exit(code, signal, id)
      end
      vim.defer_fn(function()
        known[id] = nil
      end, 1000)
    end
    local id = vim.lsp.start_client(config)
    if id == nil then
      return nil
    end
    known[id] = vim.lsp.get_client_by_id(id)
    vim.lsp.buf_attach_client(bufnr, id)
    return id
  end
end

-- `vim.lsp.get_clients(filter)` as Neovim 0.10 documents it: the clients,
-- those still initializing included, filtered by `id`, `name` and `bufnr`.
-- 0.7 lists initialized clients only; the shim adds those its
-- `vim.lsp.start` started.
local function get_clients_shim(shims)
  return function(filter)
    filter = filter or {}
    local out, seen = {}, {}
    local function add(client)
      if client == nil or seen[client.id] then
        return
      end
      seen[client.id] = true
      if
        (filter.id == nil or client.id == filter.id)
        and (filter.name == nil or client.name == filter.name)
        and (filter.bufnr == nil or vim.lsp.buf_is_attached(filter.bufnr, client.id))
      then
        table.insert(out, client)
      end
    end
    for _, client in ipairs(vim.lsp.get_active_clients()) do
      add(client)
    end
    for _, id in ipairs(shims.started_ids) do
      add(vim.lsp.get_client_by_id(id))
    end
    return out
  end
end

-- The config `lsp/<name>.lua` on the runtimepath returns, or nil.
local function runtime_config(name)
  local file = vim.api.nvim_get_runtime_file("lsp/" .. name .. ".lua", false)[1]
  if file == nil then
    return nil
  end
  return dofile(file)
end

-- `vim.lsp.config` as Neovim 0.11 has it: `vim.lsp.config(name, cfg)` stores
-- (merging into what is there), `vim.lsp.config[name]` reads the config
-- resolved from `lsp/<name>.lua` on the runtimepath with the stored one on top.
local function config_fake(shims)
  local stored = {}
  return setmetatable({}, {
    __call = function(_, name, cfg)
      shims.registered[name] = cfg
      stored[name] = vim.tbl_deep_extend("force", stored[name] or {}, cfg)
    end,
    __index = function(_, name)
      local from_file = runtime_config(name)
      if from_file == nil and stored[name] == nil then
        return nil
      end
      return vim.tbl_deep_extend("force", from_file or {}, stored[name] or {})
    end,
  })
end

-- `vim.lsp.enable(name)` as Neovim 0.11 does it: on FileType of a buffer
-- whose filetype the config lists, ask `root_dir(bufnr, on_dir)` (a function)
-- for the root, and start the client only when it calls on_dir.
local function enable_fake(shims)
  local group = vim.api.nvim_create_augroup("api_shims_enable", { clear = true })
  return function(name)
    table.insert(shims.enabled, name)
    vim.api.nvim_create_autocmd("FileType", {
      group = group,
      callback = function(args)
        local config = vim.lsp.config[name]
        if config == nil or not vim.tbl_contains(config.filetypes or {}, vim.bo[args.buf].filetype) then
          return
        end
        local function start(root)
          local resolved = vim.deepcopy(config)
          resolved.name = name
          resolved.root_dir = root
          vim.lsp.start(resolved, { bufnr = args.buf })
        end
        if type(config.root_dir) == "function" then
          config.root_dir(args.buf, start)
        else
          start(config.root_dir)
        end
      end,
    })
  end
end

-- Records the real API's calls, on a Neovim that has it (0.11+): nothing
-- stands in for it.
local function record_real(shims)
  local config_mt = getmetatable(vim.lsp.config)
  local call = config_mt.__call
  config_mt.__call = function(self, name, cfg)
    shims.registered[name] = cfg
    return call(self, name, cfg)
  end
  local enable = vim.lsp.enable
  vim.lsp.enable = function(name, ...)
    table.insert(shims.enabled, name)
    return enable(name, ...)
  end
end

--- Installs the shims of `level` ("0.9" or "0.11") and returns the record
--- of their calls. At "0.11" on a Neovim 0.11 or newer the real API runs,
--- recorded only (`shims.real`).
function M.install(level)
  if claims[level] == nil then
    error("api_shims: unknown level " .. tostring(level) .. " (0.9 or 0.11)")
  end
  local shims = { level = level, starts = {}, started_ids = {}, registered = {}, enabled = {} }
  shims.real = level == "0.11" and vim.fn.has("nvim-0.11") == 1 and vim.lsp.enable ~= nil
  if not shims.real then
    fake_has(level)
  end
  local start = vim.lsp.start or start_shim(level)
  vim.lsp.start = function(config, opts)
    table.insert(shims.starts, vim.deepcopy(config))
    local id = start(config, opts)
    if id ~= nil and not vim.tbl_contains(shims.started_ids, id) then
      table.insert(shims.started_ids, id)
    end
    return id
  end
  if shims.real then
    record_real(shims)
  elseif level == "0.11" then
    vim.lsp.get_clients = vim.lsp.get_clients or get_clients_shim(shims)
    vim.lsp.config = config_fake(shims)
    vim.lsp.enable = enable_fake(shims)
    vim.lsp.is_enabled = function(name)
      return vim.tbl_contains(shims.enabled, name)
    end
  else
    -- A Neovim 0.8-0.10 has neither.
    vim.lsp.config = nil
    vim.lsp.enable = nil
    vim.lsp.is_enabled = nil
  end
  return shims
end

return M
