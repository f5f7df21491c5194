-- Creates or moves deals through the gateway in a closed loop.
--   TOKEN=<bearer token> [IDS=<file>] wrk -t2 -c32 -d20s --latency -s bench/wrk/deals.lua http://127.0.0.1:8080
--     creates a deal per request, each with a title of its own; with IDS, appends each new deal's id to IDS.<thread>
--   MODE=move IDS=<file> TOKEN=<bearer token> wrk -t2 -c32 -d20s --latency -s bench/wrk/deals.lua http://127.0.0.1:8080
--     moves those deals (run with the same -t) between "qualified" and "demo", one deal after the other: a real stage
--     change every time, there and back (only a new run's first move of a deal already in "qualified" changes nothing)
local token = os.getenv("TOKEN") or error("set TOKEN to a bearer token with the deals:write scope")
local moving = os.getenv("MODE") == "move"
local ids_file = os.getenv("IDS")
local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}
local sent, ids, deals, stage_of = 0, nil, {}, {}
local threads = {}

-- thread_id is a global of each thread's own Lua state, set from the main one
function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  if moving then
    if not ids_file then error("MODE=move needs IDS, the file a create run wrote the deal ids to") end
    for line in io.lines(ids_file .. "." .. thread_id) do
      table.insert(deals, line)
    end
    if #deals == 0 then error("no deal ids in " .. ids_file .. "." .. thread_id) end
  elseif ids_file then
    ids = io.open(ids_file .. "." .. thread_id, "a")
  end
end

function request()
  sent = sent + 1
  if moving then
    local id = deals[(sent - 1) % #deals + 1]
    local stage = stage_of[id] == "qualified" and "demo" or "qualified"
    return wrk.format("POST", "/api/v1/deals/" .. id .. "/moves", headers, '{"stageId":"' .. stage .. '"}')
  end
  local body = string.format(
    '{"title":"wrk deal %d-%d-%d","ownerId":"wrk-%d","source":"wrk","amount":{"value":1200,"currency":"EUR"}}',
    thread_id, sent, math.random(1000000000), sent % 50)
  return wrk.format("POST", "/api/v1/deals", headers, body)
end

-- a deal's stage is taken from the answer (wrk also calls request() once before the run without sending it)
function response(status, headers, body)
  local id = body:match('"dealId"%s*:%s*"([^"]+)"')
  if not id or status >= 300 then return end
  if moving then
    stage_of[id] = body:match('"stageId"%s*:%s*"([^"]+)"')
  elseif ids then
    ids:write(id, "\n"); ids:flush()
  end
end
