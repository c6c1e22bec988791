-- wrk script: a mix of the requests readers and analysts make, picked at random per request.
-- 27 paths picked uniformly: lists, filtered lists, searches, detail pages (curated and the world's busiest), exports.
-- Each thread stops after MAX_REQUESTS / threads responses, so a run is bounded in time (wrk -d)
-- and in requests. done() prints one summary line for run.sh to read.

local paths = {
  -- lists (5)
  "/meetings/", "/cities/", "/partnerships/", "/people/", "/delegations/",
  -- filters (5)
  "/meetings/?country=NO", "/meetings/?topic=health-care&country=CN", "/partnerships/?status=twinning",
  "/cities/?country=RU&level=city", "/meetings/?date_from=2015&date_to=2016-06&sort=date",
  -- search (3)
  "/search/?q=murmansk", "/search/?q=%D0%9C%D1%83%D1%80%D0%BC%D0%B0%D0%BD%D1%81%D0%BA", "/meetings/?q=harbin",
  -- detail pages (5 curated, 3 of the world's busiest)
  "/meetings/gilan-astrakhan-governors-meeting-2023/", "/cities/murmansk/", "/partnerships/harbin-murmansk/",
  "/people/igor-babushkin/", "/sources/narvik-kazakhstan-2019/",
  "/cities/bethlehem/", "/cities/saint-petersburg/", "/partnerships/bethlehem-arad/",
  -- the world's lists (4)
  "/partnerships/?country=DE", "/cities/?country=RU&sort=-partners", "/partnerships/?reached=twinning&sort=since&page=40",
  "/partnerships/?listed_by=wikidata-p190&not_listed_by=twin-cities-wikipedia",
  -- exports (2)
  "/meetings/?format=csv", "/partnerships/?format=json",
}

-- EXPORTS=0 leaves the two exports out (each 1 in 27 requests; the JSON is 10 MB): what the pages alone cost.
if os.getenv("EXPORTS") == "0" then
  paths[#paths] = nil
  paths[#paths] = nil
end

local max_requests = tonumber(os.getenv("MAX_REQUESTS") or "1000000")
local threads = tonumber(os.getenv("WRK_THREADS") or "1")
local counter = 1

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  math.randomseed(os.time() + id)
  limit = math.ceil(max_requests / threads)
  responses = 0
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
  responses = responses + 1
  if responses >= limit then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout + e.status
  io.write(string.format(
    "RESULT requests=%d seconds=%.1f rps=%.1f median_ms=%.1f p99_ms=%.1f max_ms=%.1f errors=%d " ..
    "(connect=%d read=%d write=%d timeout=%d status=%d)\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, errors,
    e.connect, e.read, e.write, e.timeout, e.status))
end
