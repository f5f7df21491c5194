-- Moves deals through the gateway in a closed loop: each request moves the next deal of the list between the
-- "qualified" and "demo" stages (a real stage change every time: there and back).
--   IDS=<file> TOKEN=<bearer token> wrk -t2 -c32 -d20s --latency -s bench/wrk/move.lua http://127.0.0.1:8080
-- The ids come from create.lua run with the same IDS (one file per wrk thread, IDS.1, IDS.2, ...).
local token = os.getenv("TOKEN") or error("set TOKEN to a bearer token with the deals:write scope")
local ids_file = os.getenv("IDS") or error("set IDS to the file create.lua wrote the deal ids to")
local deals, stage_of, next_deal = {}, {}, 0
local threads = {}

-- thread_id is a global of each thread's own Lua state, set from the main one
function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(ids_file .. "." .. thread_id) do
    table.insert(deals, line)
  end
  if #deals == 0 then error("no deal ids in " .. ids_file .. "." .. thread_id) end
end

function request()
  next_deal = next_deal % #deals + 1
  local id = deals[next_deal]
  local stage = stage_of[id] == "qualified" and "demo" or "qualified"
  stage_of[id] = stage
  return wrk.format("POST", "/api/v1/deals/" .. id .. "/moves",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token},
    '{"stageId":"' .. stage .. '"}')
end
