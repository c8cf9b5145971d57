-- wrk script: POST /api/v1/webchat/messages over many sessions (tokens in $JACK_BENCH_TOKENS).
local tokens = {}
local messages = {
  '{"content":"Could you send two towels to room 412 please?"}',
  '{"content":"what time does the pool open?"}',
  '{"content":"the air conditioning in 305 is not working"}',
  '{"content":"¿A qué hora es el desayuno?"}',
  '{"content":"thank you!"}',
  '{"content":"can you book a taxi to the airport tomorrow at 6am"}',
}
local i = 0
function init(args)
  for line in io.lines(os.getenv("JACK_BENCH_TOKENS")) do tokens[#tokens + 1] = line end
end
function request()
  i = i + 1
  local headers = {["Content-Type"] = "application/json",
                   ["Authorization"] = "Bearer " .. tokens[(i % #tokens) + 1]}
  return wrk.format("POST", "/api/v1/webchat/messages", headers, messages[(i % #messages) + 1])
end
