-- wrk script: POST the file named by BODY_FILE (default: a small chat completion request).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local name = os.getenv("BODY_FILE")
if name and name ~= "" then
  local f = assert(io.open(name, "rb"))
  wrk.body = f:read("*a")
  f:close()
else
  wrk.body = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello."}]}'
end
