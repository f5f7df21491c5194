-- Creates deals through the gateway in a closed loop, each with a title of its own.
--   TOKEN=<bearer token> wrk -t2 -c32 -d20s --latency -s bench/wrk/create.lua http://127.0.0.1:8080
-- With IDS=<file>, the id of every deal created is appended to that file (for move.lua).
local token = os.getenv("TOKEN") or error("set TOKEN to a bearer token with the deals:write scope")
local ids_file = os.getenv("IDS")
local sent, ids = 0, nil
local threads = {}

-- thread_id is a global of each thread's own Lua state, set from the main one
function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  if ids_file then
    ids = io.open(ids_file .. "." .. thread_id, "a")
  end
end

function request()
  sent = sent + 1
  local body = string.format(
    '{"title":"wrk deal %d-%d-%d","ownerId":"wrk-%d","source":"wrk","amount":{"value":1200,"currency":"EUR"}}',
    thread_id, sent, math.random(1000000000), sent % 50)
  return wrk.format("POST", "/api/v1/deals",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end

function response(status, headers, body)
  if ids and status == 201 then
    local id = body:match('"dealId"%s*:%s*"([^"]+)"')
    if id then ids:write(id, "\n"); ids:flush() end
  end
end
