-- Drives a real headless Neovim against the real skill-lsp binary through the
-- editors/nvim plugin, performs one check and writes what it saw as JSON for
-- tests/neovim.rs to assert on. Run as:
--
--   nvim --headless -u NONE -i NONE -n -c "luafile tests/nvim/lsp_check.lua"
--
-- Environment:
--   SKILL_LSP_BIN     the server binary
--   SKILL_LSP_PLUGIN  editors/nvim (put on the runtimepath)
--   SKILL_LSP_FILE    the SKILL.md to open
--   SKILL_LSP_CHECK   attach | diagnostics | completion | code_action | definition | features | codelens | restart | health
--                     | interface_lens
--                     | clients | native_config | early_restart
--   SKILL_LSP_CODE    code_action: the diagnostic code whose fix to apply
--   SKILL_LSP_METHOD  interface_lens: the method whose lens to run
--   SKILL_LSP_PATTERNS  optional: comma-separated globs for setup({ patterns })
--   SKILL_LSP_API     optional: force the plugin's older start path on a newer
--                     Neovim ("vim.lsp.start" or "vim.lsp.start_client")
--   SKILL_LSP_SHIM    optional: "0.9" or "0.11" — install tests/nvim/api_shims.lua
--                     (test stand-ins for the newer Neovim APIs) before loading
--                     the plugin, so its 0.8-0.10 or 0.11+ branch runs here
--   SKILL_LSP_NO_SETUP  optional: "1" — no setup(); `vim.lsp.enable("skill_lsp")`
--                     alone, as a 0.11+ user without setup() has it
--   SKILL_LSP_SECOND  clients: a second SKILL.md under the same skills root
--   SKILL_LSP_OUT     where to write the JSON result
--   SKILL_LSP_TIMEOUT_MS  how long to wait for the server at each step (default 15000)
--
-- Every wait is `vim.wait(timeout, predicate)`: the script moves on as soon as
-- the server has answered, never after a fixed sleep.

local out_path = os.getenv("SKILL_LSP_OUT")
local result = { messages = {}, publishes = 0 }

local function finish(err)
  result.ok = err == nil
  result.error = err
  local lines = { vim.fn.json_encode(result) }
  vim.fn.writefile(lines, out_path)
  vim.cmd("qa!")
end

local function env(name)
  local value = os.getenv(name)
  if value == nil or value == "" then
    error("environment variable " .. name .. " is not set")
  end
  return value
end

local timeout = tonumber(os.getenv("SKILL_LSP_TIMEOUT_MS") or "") or 15000
local server_exit = nil
-- The client the check talks to; an exit of an earlier one (after a restart)
-- is expected.
local current_id = nil

-- Record what the server says and what it publishes, raw, alongside Neovim's
-- own handling.
local raw_diagnostics = {}
local publish = vim.lsp.handlers["textDocument/publishDiagnostics"]
vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, params, ctx, config)
  if params ~= nil then
    raw_diagnostics[params.uri] = params.diagnostics
    result.publishes = result.publishes + 1
  end
  return publish(err, params, ctx, config)
end
local function record_message(_, params)
  if params ~= nil then
    table.insert(result.messages, params.message)
  end
end
vim.lsp.handlers["window/showMessage"] = record_message
vim.lsp.handlers["window/logMessage"] = record_message

local function server_gone()
  if server_exit ~= nil and (current_id == nil or server_exit.id == current_id) then
    return string.format(
      "the server exited (code %s, signal %s) before answering; messages: %s",
      tostring(server_exit.code),
      tostring(server_exit.signal),
      table.concat(result.messages, " | ")
    )
  end
  return nil
end

local function wait_for(what, predicate)
  local ok = vim.wait(timeout, function()
    return server_gone() ~= nil or predicate()
  end, 10)
  local gone = server_gone()
  if gone ~= nil then
    error(what .. ": " .. gone)
  end
  if not ok then
    error(what .. ": nothing after " .. timeout .. " ms")
  end
end

-- The LSP diagnostics of the buffer: as published (push), or as Neovim keeps
-- them from a pull (0.10+ pulls when the server offers it).
local function lsp_diagnostics(bufnr)
  local raw = raw_diagnostics[vim.uri_from_bufnr(bufnr)]
  if raw ~= nil then
    return raw
  end
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp
    if lsp ~= nil and lsp.range ~= nil then
      table.insert(out, lsp)
    end
  end
  return out
end

-- Whether the server's diagnostics for the buffer have arrived.
local function diagnostics_arrived(bufnr)
  return result.publishes > 0 or #vim.diagnostic.get(bufnr) > 0
end

local function codes(diagnostics)
  local out = {}
  for _, d in ipairs(diagnostics) do
    table.insert(out, d.code ~= nil and tostring(d.code) or "")
  end
  return out
end

local function has_code(bufnr, code)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if tostring(d.code) == code then
      return true
    end
  end
  return false
end

local function buffer_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")
end

-- The server capability each request needs.
local capability_of = {
  ["textDocument/completion"] = "completionProvider",
  ["textDocument/codeAction"] = "codeActionProvider",
  ["textDocument/definition"] = "definitionProvider",
  ["workspace/executeCommand"] = "executeCommandProvider",
  ["textDocument/formatting"] = "documentFormattingProvider",
  ["textDocument/documentHighlight"] = "documentHighlightProvider",
  ["textDocument/semanticTokens/full"] = "semanticTokensProvider",
  ["textDocument/inlayHint"] = "inlayHintProvider",
  ["textDocument/selectionRange"] = "selectionRangeProvider",
  ["textDocument/prepareCallHierarchy"] = "callHierarchyProvider",
  ["textDocument/codeLens"] = "codeLensProvider",
}

local server_capabilities = {}

-- One request, answered by our client: its result, or an error.
local function request(bufnr, method, params)
  local capability = capability_of[method]
  if capability ~= nil and not server_capabilities[capability] then
    error(method .. ": the server does not offer it (no " .. capability .. " in its capabilities)")
  end
  local answers, err = vim.lsp.buf_request_sync(bufnr, method, params, timeout)
  if answers == nil then
    error(method .. ": no answer (" .. tostring(err) .. ")" .. (server_gone() and ("; " .. server_gone()) or ""))
  end
  for _, answer in pairs(answers) do
    if answer.error ~= nil then
      error(method .. ": the server answered with an error: " .. vim.inspect(answer.error))
    end
    return answer.result
  end
  error(method .. ": no client answered")
end

local function find_line(bufnr, needle)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local col = line:find(needle, 1, true)
    if col ~= nil then
      return i - 1, col - 1
    end
  end
  error("no line of the buffer contains " .. needle)
end

local islist = vim.islist or vim.tbl_islist

-- The record of the API shims' calls, when SKILL_LSP_SHIM installed them.
local shims = nil

local checks = {}
local wait_until_listed

-- A client config as JSON can carry it: its data, and which callbacks it has.
local function describe(config)
  if config == nil then
    return vim.NIL
  end
  local out = { functions = {} }
  for _, key in ipairs({ "name", "cmd", "root_dir", "settings", "init_options", "filetypes" }) do
    local value = config[key]
    if type(value) == "function" then
      table.insert(out.functions, key)
    elseif value ~= nil then
      out[key] = value
    end
  end
  for key, value in pairs(config) do
    if type(value) == "function" and key ~= "root_dir" then
      table.insert(out.functions, key)
    end
  end
  table.sort(out.functions)
  return out
end

local function skill_lsp_clients_of(bufnr)
  local ids = {}
  local attached = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr }) or vim.lsp.buf_get_clients(bufnr)
  for _, c in pairs(attached) do
    if c.name == "skill_lsp" then
      table.insert(ids, c.id)
    end
  end
  return ids
end

local function readme_of(bufnr)
  return vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ":h:h:h") .. "/README.md"
end

-- The plugin attached a client to the skill, rooted at the skills root, and
-- left other Markdown files alone. Needs no answer from the server.
local function check_attach(bufnr)
  local skill_lsp = require("skill_lsp")
  -- Neovim 0.11 starts the client a moment after FileType.
  wait_for("a client", function()
    return #skill_lsp.clients() > 0
  end)
  local clients = skill_lsp.clients()
  result.api = skill_lsp.api()
  result.clients = #clients
  local client = clients[1]
  if client == nil then
    error("no skill_lsp client was started for " .. vim.api.nvim_buf_get_name(bufnr))
  end
  result.root_dir = client.config.root_dir
  result.attached = vim.lsp.buf_is_attached(bufnr, client.id)
  local readme = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ":h:h:h") .. "/README.md"
  vim.cmd("edit " .. vim.fn.fnameescape(readme))
  local other = vim.api.nvim_get_current_buf()
  result.other_file = vim.api.nvim_buf_get_name(other)
  result.other_attached = vim.lsp.buf_is_attached(other, client.id)
  result.clients_after_other = #skill_lsp.clients()
end

-- The server's diagnostics for the broken skill reach vim.diagnostic.
function checks.diagnostics(bufnr)
  wait_for("diagnostics", function()
    return #vim.diagnostic.get(bufnr) > 0
  end)
  result.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(result.diagnostics, {
      code = d.code ~= nil and tostring(d.code) or "",
      line = d.lnum,
      col = d.col,
      end_line = d.end_lnum,
      end_col = d.end_col,
      severity = d.severity,
      message = d.message,
      source = d.source,
    })
  end
end

-- Typing `memoryStore.` in the body offers the interface's methods.
function checks.completion(bufnr)
  wait_for("diagnostics before editing", function()
    return diagnostics_arrived(bufnr)
  end)
  local line = find_line(bufnr, "### Step 2")
  local text = "- Then `memoryStore.`"
  vim.api.nvim_buf_set_lines(bufnr, line + 1, line + 1, false, { text })
  local character = #"- Then `memoryStore."
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = line + 1, character = character },
    context = { triggerKind = 2, triggerCharacter = "." },
  }
  local answer = request(bufnr, "textDocument/completion", params)
  local items = answer ~= nil and (answer.items or answer) or {}
  result.labels = {}
  for _, item in ipairs(items) do
    table.insert(result.labels, item.label)
  end
end

-- A quick fix for a diagnostic, applied, changes the buffer and the
-- diagnostic goes away.
function checks.code_action(bufnr, client)
  local code = env("SKILL_LSP_CODE")
  wait_for("diagnostics", function()
    return diagnostics_arrived(bufnr)
  end)
  -- A server may publish more than once while it settles; allow it a moment
  -- (only when the code is not there at once).
  if not vim.wait(2000, function()
    return has_code(bufnr, code)
  end, 10) then
    error("no " .. code .. " among the diagnostics: " .. table.concat(codes(vim.diagnostic.get(bufnr)), ", "))
  end
  local diagnostic
  for _, d in ipairs(lsp_diagnostics(bufnr)) do
    if tostring(d.code) == code then
      diagnostic = d
      break
    end
  end
  result.line_before = vim.api.nvim_buf_get_lines(bufnr, diagnostic.range.start.line, diagnostic.range.start.line + 1, false)[1]
  local before = buffer_text(bufnr)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = diagnostic.range,
    context = { diagnostics = { diagnostic }, only = { "quickfix" } },
  }
  local actions = request(bufnr, "textDocument/codeAction", params) or {}
  result.titles = {}
  local chosen
  for _, action in ipairs(actions) do
    table.insert(result.titles, action.title)
    for _, d in ipairs(action.diagnostics or {}) do
      if chosen == nil and tostring(d.code) == code then
        chosen = action
      end
    end
  end
  chosen = chosen or actions[1]
  if chosen == nil then
    error("textDocument/codeAction: no action offered for " .. code)
  end
  result.applied = chosen.title
  if chosen.edit == nil and chosen.command == nil then
    chosen = request(bufnr, "codeAction/resolve", chosen)
  end
  if chosen.edit ~= nil then
    vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  end
  -- A Command, or a CodeAction carrying one.
  local command = type(chosen.command) == "string" and chosen or chosen.command
  if command ~= nil then
    request(bufnr, "workspace/executeCommand", { command = command.command, arguments = command.arguments })
  end
  result.changed = buffer_text(bufnr) ~= before
  result.line_after = vim.api.nvim_buf_get_lines(bufnr, diagnostic.range.start.line, diagnostic.range.start.line + 1, false)[1]
  wait_for(code .. " to go away after the fix", function()
    return not has_code(bufnr, code)
  end)
  result.codes_after = codes(vim.diagnostic.get(bufnr))
end

-- Go to definition on a method of a call opens the interface document at the
-- method's heading.
function checks.definition(bufnr, client)
  local needle = "memoryStore.getSkillMemory"
  local line, col = find_line(bufnr, needle)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = line, character = col + #"memoryStore.get" },
  }
  local answer = request(bufnr, "textDocument/definition", params)
  if answer == nil or (islist(answer) and #answer == 0) then
    error("textDocument/definition: no location for " .. needle)
  end
  local location = islist(answer) and answer[1] or answer
  result.location = location
  if vim.lsp.util.show_document ~= nil then
    vim.lsp.util.show_document(location, client.offset_encoding, { focus = true })
  else
    vim.lsp.util.jump_to_location(location, client.offset_encoding)
  end
  result.file = vim.api.nvim_buf_get_name(0)
  result.line = vim.api.nvim_win_get_cursor(0)[1] - 1
  result.text = vim.api.nvim_get_current_line()
end

-- Formatting, document highlight, semantic tokens, inlay hints, selection
-- range and call hierarchy, each through Neovim's own function where the
-- Neovim under test has one (`result.via` names what ran), else as a raw
-- request: 0.7 draws neither semantic tokens nor inlay hints, and selection
-- ranges only from 0.12.
function checks.features(bufnr, client)
  local uri = vim.uri_from_bufnr(bufnr)
  result.via = {}
  local before = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  if vim.lsp.buf.format ~= nil then
    vim.lsp.buf.format({ bufnr = bufnr, async = false, timeout_ms = timeout })
    result.via.formatting = "vim.lsp.buf.format"
  else
    vim.lsp.buf.formatting_sync(nil, timeout)
    result.via.formatting = "vim.lsp.buf.formatting_sync"
  end
  local after = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  local changed = 0
  for i = 1, math.max(#before, #after) do
    if before[i] ~= after[i] then
      changed = changed + 1
    end
  end
  result.format_changed_lines = changed
  local line = find_line(bufnr, "] Step 1 ")
  result.formatted_line = vim.api.nvim_buf_get_lines(bufnr, line, line + 1, false)[1]

  -- Document highlight: Neovim marks every use of the method in its references namespace.
  local call_line, call_col = find_line(bufnr, "memoryStore.getSkillMemory")
  local at = { textDocument = { uri = uri }, position = { line = call_line, character = call_col + 14 } }
  vim.api.nvim_win_set_cursor(0, { call_line + 1, call_col + 14 })
  vim.lsp.buf.document_highlight()
  result.via.highlight = "vim.lsp.buf.document_highlight"
  local function reference_marks()
    for name, ns in pairs(vim.api.nvim_get_namespaces()) do
      if name:find("references", 1, true) then
        return vim.api.nvim_buf_get_extmarks(bufnr, ns, 0, -1, { details = true })
      end
    end
    return {}
  end
  wait_for("document highlights drawn", function()
    return #reference_marks() > 0
  end)
  result.highlights = #reference_marks()
  local mark = reference_marks()[1]
  local mark_line = vim.api.nvim_buf_get_lines(bufnr, mark[2], mark[2] + 1, false)[1]
  result.highlighted = mark_line:sub(mark[3] + 1, mark[4].end_col)

  -- Semantic tokens: 0.9+ requests and draws them on attach.
  local receiver_line, receiver_col = find_line(bufnr, "memoryStore.getSkillMemory")
  if vim.lsp.semantic_tokens ~= nil and vim.lsp.semantic_tokens.get_at_pos ~= nil then
    result.via.semantic_tokens = "vim.lsp.semantic_tokens"
    local types = {}
    wait_for("semantic tokens drawn", function()
      types = {}
      for _, t in ipairs(vim.lsp.semantic_tokens.get_at_pos(bufnr, receiver_line, receiver_col) or {}) do
        table.insert(types, t.type)
      end
      return #types > 0
    end)
    result.token_types_at_receiver = types
  else
    result.via.semantic_tokens = "request"
    local tokens = request(bufnr, "textDocument/semanticTokens/full", { textDocument = { uri = uri } })
    result.semantic_tokens = #((tokens or {}).data or {}) / 5
  end

  -- Inlay hints: 0.10+ draws them once enabled.
  local last = vim.api.nvim_buf_line_count(bufnr)
  result.inlay_labels = {}
  local function label_of(hint)
    if type(hint.label) == "string" then
      return hint.label
    end
    local parts = {}
    for _, part in ipairs(hint.label) do
      table.insert(parts, part.value)
    end
    return table.concat(parts)
  end
  if vim.lsp.inlay_hint ~= nil and vim.lsp.inlay_hint.get ~= nil then
    result.via.inlay_hints = "vim.lsp.inlay_hint"
    vim.lsp.inlay_hint.enable(true, { bufnr = bufnr })
    local shown = {}
    wait_for("inlay hints drawn", function()
      shown = vim.lsp.inlay_hint.get({ bufnr = bufnr })
      return #shown > 0
    end)
    for _, h in ipairs(shown) do
      table.insert(result.inlay_labels, label_of(h.inlay_hint))
    end
  else
    result.via.inlay_hints = "request"
    local hints = request(bufnr, "textDocument/inlayHint", {
      textDocument = { uri = uri },
      range = { start = { line = 0, character = 0 }, ["end"] = { line = last, character = 0 } },
    })
    for _, h in ipairs(hints or {}) do
      table.insert(result.inlay_labels, label_of(h))
    end
  end

  -- Selection range: 0.12 selects the growing ranges in visual mode.
  local arg_line, arg_col = find_line(bufnr, 'getSkillMemory("')
  arg_col = arg_col + #'getSkillMemory("'
  if vim.lsp.buf.selection_range ~= nil then
    result.via.selection_range = "vim.lsp.buf.selection_range"
    result.selections = {}
    vim.api.nvim_win_set_cursor(0, { arg_line + 1, arg_col })
    local function selected()
      local from, to = vim.fn.getpos("v"), vim.fn.getpos(".")
      if from[2] ~= to[2] then
        return nil
      end
      local text = vim.api.nvim_buf_get_lines(bufnr, from[2] - 1, from[2], false)[1]
      return text:sub(math.min(from[3], to[3]), math.max(from[3], to[3]))
    end
    for _ = 1, 2 do
      local was = #result.selections > 0 and result.selections[#result.selections] or nil
      vim.lsp.buf.selection_range(1)
      wait_for("a selection", function()
        local now = vim.fn.mode():sub(1, 1) == "v" and selected()
        return now and now ~= was
      end)
      table.insert(result.selections, selected())
    end
    vim.cmd("normal! \27")
  end
  local selection = request(bufnr, "textDocument/selectionRange", { textDocument = { uri = uri }, positions = { at.position } })
  local depth, node = 0, selection and selection[1]
  while node ~= nil do
    depth = depth + 1
    node = node.parent
  end
  result.selection_depth = depth
  -- Call hierarchy: Neovim's incoming/outgoing calls start from this request.
  local items = request(bufnr, "textDocument/prepareCallHierarchy", at)
  result.hierarchy = items and items[1] and items[1].name
end

-- Code lenses as Neovim draws them (vim.lsp.codelens, 0.7 and newer), and
-- "fix all" run from the title's lens: the server sends the edit.
function checks.codelens(bufnr, client)
  wait_for("diagnostics", function()
    return diagnostics_arrived(bufnr)
  end)
  vim.lsp.codelens.refresh({ bufnr = bufnr })
  wait_for("code lenses", function()
    return #vim.lsp.codelens.get(bufnr) > 0
  end)
  result.lenses = {}
  local title_line = find_line(bufnr, "# Skill: ")
  for _, lens in ipairs(vim.lsp.codelens.get(bufnr)) do
    local text = vim.api.nvim_buf_get_lines(bufnr, lens.range.start.line, lens.range.start.line + 1, false)[1]
    table.insert(result.lenses, { line = text, title = lens.command and lens.command.title or vim.NIL })
  end
  -- 0.7 offers every lens of the line to choose from: choose "fix all".
  vim.ui.select = function(items, opts, on_choice)
    for _, item in ipairs(items) do
      if opts.format_item(item) == "fix all" then
        return on_choice(item)
      end
    end
    on_choice(nil)
  end
  local before = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")
  vim.api.nvim_win_set_cursor(0, { title_line + 1, 0 })
  vim.lsp.codelens.run()
  wait_for("the fix-all edit", function()
    return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n") ~= before
  end)
  result.text_after = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n") .. "\n"
end

-- Opened on an interface document (SKILL_LSP_FILE = interfaces/*.md): the
-- plugin attached it as Markdown, `vim.lsp.codelens` draws "used by N
-- skills" above its methods, and running the lens of SKILL_LSP_METHOD's
-- heading puts its uses in the quickfix list. The server publishes nothing.
function checks.interface_lens(bufnr, client)
  local method = env("SKILL_LSP_METHOD")
  result.filetype = vim.bo[bufnr].filetype
  result.root_dir = client.config.root_dir
  vim.lsp.codelens.refresh({ bufnr = bufnr })
  wait_for("code lenses", function()
    return #vim.lsp.codelens.get(bufnr) > 0
  end)
  result.lenses = {}
  for _, lens in ipairs(vim.lsp.codelens.get(bufnr)) do
    local text = vim.api.nvim_buf_get_lines(bufnr, lens.range.start.line, lens.range.start.line + 1, false)[1]
    table.insert(result.lenses, { line = text, title = lens.command and lens.command.title or vim.NIL })
  end
  local line = find_line(bufnr, "`" .. method .. "(")
  vim.api.nvim_win_set_cursor(0, { line + 1, 0 })
  vim.fn.setqflist({}, "r", { title = "", items = {} })
  vim.lsp.codelens.run()
  wait_for("the lens's uses in the quickfix list", function()
    return #vim.fn.getqflist() > 0
  end)
  result.uses = {}
  for _, item in ipairs(vim.fn.getqflist()) do
    table.insert(result.uses, { file = vim.api.nvim_buf_get_name(item.bufnr), line = item.lnum - 1, text = item.text })
  end
  result.uses_title = vim.fn.getqflist({ title = 1 }).title
  -- Every answer above came after the open: a check would have published.
  result.diagnostics = #vim.diagnostic.get(bufnr)
end

-- :SkillLspRestart replaces the client with a new one, attached to the skill,
-- whose diagnostics arrive again.
-- Runs :SkillLspRestart in place of client `old` and waits for a new,
-- initialized client attached to the skill and for its diagnostics.
local function restart_replacing(bufnr, old)
  result.before = old.id
  -- From here on, only the new client's exit is a failure.
  current_id = -1
  vim.cmd("SkillLspRestart")
  local fresh
  wait_for("a new initialized client after :SkillLspRestart", function()
    for _, c in ipairs(require("skill_lsp").clients()) do
      if c.id ~= old.id and c.initialized and vim.lsp.buf_is_attached(bufnr, c.id) then
        fresh = c
      end
    end
    return fresh ~= nil
  end)
  result.after = fresh.id
  current_id = fresh.id
  result.old_stopped = old:is_stopped()
  result.publishes = 0
  wait_for("diagnostics from the new server", function()
    return #vim.diagnostic.get(bufnr) > 0
  end)
  result.codes = codes(vim.diagnostic.get(bufnr))
end

function checks.restart(bufnr, client)
  restart_replacing(bufnr, client)
end

-- A second skill under the same root joins the running client; a Markdown
-- file that is no skill starts none. Reports what vim.lsp.start was given.
function checks.clients(bufnr, client)
  vim.cmd("edit " .. vim.fn.fnameescape(env("SKILL_LSP_SECOND")))
  local second = vim.api.nvim_get_current_buf()
  wait_for("a client for the second skill", function()
    return #skill_lsp_clients_of(second) > 0
  end)
  result.first = skill_lsp_clients_of(bufnr)
  result.second = skill_lsp_clients_of(second)
  result.second_buffer = second ~= bufnr
  local starts_before = shims and #shims.starts or 0
  vim.cmd("edit " .. vim.fn.fnameescape(readme_of(bufnr)))
  local readme = vim.api.nvim_get_current_buf()
  result.readme = skill_lsp_clients_of(readme)
  result.starts_for_readme = (shims and #shims.starts or 0) - starts_before
  result.clients = #require("skill_lsp").clients()
  if shims ~= nil then
    result.started = #shims.started_ids
    result.starts = {}
    for _, config in ipairs(shims.starts) do
      table.insert(result.starts, describe(config))
    end
  end
end

-- What setup() registers with vim.lsp.config on 0.11+, how its root_dir
-- picks buffers, and what lsp/skill_lsp.lua gives without setup().
function checks.native_config(bufnr)
  if shims == nil or shims.level ~= "0.11" then
    error("native_config needs SKILL_LSP_SHIM=0.11")
  end
  local skill_lsp = require("skill_lsp")
  result.registered = vim.tbl_keys(shims.registered)
  result.enabled = shims.enabled
  local registered = shims.registered[skill_lsp.name]
  if registered == nil then
    error("setup() registered no config named " .. skill_lsp.name)
  end
  result.config = describe(registered)
  -- Every root root_dir hands to on_dir for a buffer.
  local function roots(config, buf)
    local got = {}
    config.root_dir(buf, function(root)
      table.insert(got, root)
    end)
    return got
  end
  local readme = vim.fn.bufadd(readme_of(bufnr))
  vim.fn.bufload(readme)
  result.skill_roots = roots(registered, bufnr)
  result.readme_roots = roots(registered, readme)
  -- As `vim.lsp.enable("skill_lsp")` finds it on the runtimepath, for a user
  -- who never called setup(): evaluated and used with no options set.
  local options = skill_lsp.options
  skill_lsp.options = nil
  local file = vim.api.nvim_get_runtime_file("lsp/skill_lsp.lua", false)[1]
  local from_file = dofile(file)
  result.file_config = describe(from_file)
  result.file_skill_roots = roots(from_file, bufnr)
  result.file_readme_roots = roots(from_file, readme)
  skill_lsp.options = options
end

-- Neovim 0.11+ starts the client of `vim.lsp.enable` on the next turn of
-- the event loop after FileType: waits (checking every millisecond, so that
-- the server is still starting) until the plugin lists a client.
wait_until_listed = function()
  vim.wait(timeout, function()
    return #require("skill_lsp").clients() > 0
  end, 1)
end

-- :SkillLspRestart while the server is still starting (before it has
-- answered `initialize`) replaces it too. Runs before the script waits for
-- the server: Neovim handles no server message until a wait.
function checks.early_restart(bufnr)
  local skill_lsp = require("skill_lsp")
  wait_until_listed()
  local starting = skill_lsp.clients()
  result.starting = #starting
  local old = starting[1]
  if old == nil then
    error("skill_lsp.clients() lists no client while the server starts")
  end
  result.starting_initialized = old.initialized == true
  restart_replacing(bufnr, old)
end

-- :checkhealth skill_lsp reports the server and the running client.
function checks.health()
  wait_until_listed()
  vim.cmd("checkhealth skill_lsp")
  result.lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  -- What Neovim said meanwhile: a deprecated call says so here.
  result.said = vim.fn.execute("messages")
end

local function run()
  local check = env("SKILL_LSP_CHECK")
  if checks[check] == nil and check ~= "attach" then
    error("unknown check " .. check)
  end
  vim.opt.runtimepath:prepend(env("SKILL_LSP_PLUGIN"))
  vim.cmd("filetype on")
  local level = os.getenv("SKILL_LSP_SHIM")
  if level ~= nil and level ~= "" then
    local here = vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h")
    shims = dofile(here .. "/api_shims.lua").install(level)
  end
  local forced = os.getenv("SKILL_LSP_API")
  if forced ~= nil and forced ~= "" then
    require("skill_lsp").api = function()
      return forced
    end
  end
  local patterns = {}
  for glob in (os.getenv("SKILL_LSP_PATTERNS") or ""):gmatch("[^,]+") do
    table.insert(patterns, glob)
  end
  if os.getenv("SKILL_LSP_NO_SETUP") == "1" then
    -- The server is found on PATH, as the defaults have it.
    vim.lsp.enable("skill_lsp")
  else
    require("skill_lsp").setup({
      cmd = { env("SKILL_LSP_BIN") },
      patterns = patterns,
      settings = { workflow = { steps = 6 } },
      on_exit = function(code, signal, id)
        server_exit = { code = code, signal = signal, id = id }
      end,
    })
  end
  result.api = require("skill_lsp").api()
  vim.cmd("edit " .. vim.fn.fnameescape(env("SKILL_LSP_FILE")))
  local bufnr = vim.api.nvim_get_current_buf()
  -- These two need no answer from the server.
  if check == "attach" then
    return check_attach(bufnr)
  elseif check == "health" then
    return checks.health()
  elseif check == "native_config" then
    return checks.native_config(bufnr)
  elseif check == "early_restart" then
    return checks.early_restart(bufnr)
  end
  local client
  wait_for("the server to initialize", function()
    local attached = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr }) or vim.lsp.buf_get_clients(bufnr)
    for _, c in pairs(attached) do
      if c.name == "skill_lsp" and c.initialized then
        client = c
      end
    end
    return client ~= nil
  end)
  current_id = client.id
  server_capabilities = client.server_capabilities or {}
  checks[check](bufnr, client)
end

local ok, err = xpcall(run, debug.traceback)
if ok then
  finish(nil)
else
  finish(tostring(err))
end
