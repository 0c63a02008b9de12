-- wrk script: GET /v1/videos/<id> for ids picked at random from the file named by IDS_FILE (one id a line).
local ids = {}
for line in io.lines(os.getenv("IDS_FILE")) do
  ids[#ids + 1] = line
end
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/v1/videos/" .. ids[math.random(#ids)])
end
