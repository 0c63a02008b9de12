#!/usr/bin/env bash
# cli2api benchmarks: bench/run.sh [proxy|images|jobs|all] (default all).
#
# Everything runs on this machine over loopback: a fake MuleRun (bench/src/bench/FakeUpstream.java), nginx as the
# reference reverse proxy, cli2api from target/quarkus-app, PostgreSQL on 127.0.0.1:5432 (one database per
# benchmark, created by the app). Results: bench/results/<UTC time>/ (raw wrk/JSON outputs, logs, summary.md).
# Needs Java 17 (JDK), nginx-light, wrk, jq and psql; PostgreSQL with trust auth for user postgres.
#
# Knobs (environment): BENCH_DURATION (s per wrk cell, 10), BENCH_JOBS (10000), BENCH_IMAGE_DELAY_MS (15000),
# BENCH_POLL_INTERVAL / BENCH_POLL_MAX_INTERVAL / BENCH_WORKER_INTERVAL / BENCH_WORKER_BATCH /
# BENCH_WORKER_MAX_IN_FLIGHT (jobs worker tuning), BENCH_JDBC_PARAMS (appended to the jobs database URL, e.g.
# '?options=-c%20synchronous_commit=off' to see what commit latency costs), APP_JAVA_OPTS (-Xmx256m -XX:+UseParallelGC),
# BENCH_DB_POOL (connections per instance in the jobs benchmark, 20), BENCH_STEADY_POLL_INTERVAL (16s: the poll interval
# of the steady-state GET round, whole seconds), BENCH_WARMUP (20: seconds of GETs before the GET rounds),
# BENCH_WARM_DRAINS (3: the fewest drains of the queue at the default rate before the paced GET round, 4 at full speed
# before the full-speed one, under the GETs, so the JIT has compiled the worker's path and the mix too; more follow, up
# to 10, until a drain sees the JIT compile for less than half a second), BENCH_FULL_DRAIN_DURATION (5: seconds of GETs while a
# warmed worker drains at full speed, which takes about that long),
# BENCH_DRAIN_REPEATS (3: measured drains per GET-while-draining round; the median by p99 is reported), BENCH_REBUILD=1
# (rebuild the jar first).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
source bench/lib.sh

WHAT=${1:-all}
case $WHAT in proxy | images | jobs | all) ;; *) die "usage: bench/run.sh [proxy|images|jobs|all]" ;; esac

export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
JDBC_BASE="jdbc:postgresql://$PGHOST:$PGPORT"
# The app runs with a 256 MiB heap (the runs before deploy/kubernetes.yaml's heap grew to 512 MiB used it; kept so
# they compare), and with the collector the container image runs (src/main/docker/Dockerfile.jvm: ParallelGC; the JVM alone would pick G1 on this machine).
APP_JAVA_OPTS=${APP_JAVA_OPTS:--Xmx256m -XX:+UseParallelGC}
FAKE_JAVA_OPTS=${FAKE_JAVA_OPTS:--Xmx512m}
DUR=${BENCH_DURATION:-10}                  # seconds per wrk measurement
IMAGE_DELAY_MS=${BENCH_IMAGE_DELAY_MS:-15000}
JOBS=${BENCH_JOBS:-10000}
# Worker tuning for the jobs benchmark (docs/configuration.md); the defaults (1s ticks of 32) are sized for
# real video jobs that take minutes, not for draining 10,000 instant ones. PACED_ENV keeps the default call rate
# (CLI2API_WORKER_RATE, 1000/s); JOB_ENV lifts it, to measure what the worker can do at full speed.
PACED_ENV=(CLI2API_POLL_INTERVAL="${BENCH_POLL_INTERVAL:-200ms}" CLI2API_POLL_MAX_INTERVAL="${BENCH_POLL_MAX_INTERVAL:-300ms}"
    CLI2API_WORKER_INTERVAL="${BENCH_WORKER_INTERVAL:-10ms}" CLI2API_WORKER_BATCH="${BENCH_WORKER_BATCH:-128}"
    CLI2API_WORKER_MAX_IN_FLIGHT="${BENCH_WORKER_MAX_IN_FLIGHT:-256}")
JOB_ENV=("${PACED_ENV[@]}" CLI2API_WORKER_RATE=0)

require
ports_free 18080 18081 18082 18083 18090 18091 18094 18095 18096 18097 18098
trap cleanup EXIT
trap 'exit 130' INT TERM

OUT=$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
SUMMARY=$OUT/summary.md
APP_JAR=$ROOT/target/quarkus-app/quarkus-run.jar
if [[ ! -f $APP_JAR || -n ${BENCH_REBUILD:-} ]]; then
    log "building the app (./mvnw -DskipTests package)"
    ./mvnw -B -q -DskipTests package >"$OUT/build.log" 2>&1 || die "build failed, see $OUT/build.log"
fi
log "compiling the bench tools"
mkdir -p bench/build/classes
javac -d bench/build/classes -cp "$ROOT/target/quarkus-app/lib/main/*" bench/src/bench/*.java
BENCH_CP="$ROOT/bench/build/classes:$ROOT/target/quarkus-app/lib/main/*"
load() {
    java -Xmx1g -cp "$BENCH_CP" bench.Load "$@"
}

mem_total=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
md "## Run $(date -u '+%Y-%m-%d %H:%M UTC')"
md ""
md "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'))," \
    "$mem_total RAM, load average at start $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1);" \
    "$(nginx -v 2>&1 | sed 's/.*: //'); cli2api at commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')" \
    "(jar built $(date -u -r "$APP_JAR" '+%Y-%m-%d %H:%M UTC')), JVM options \`$APP_JAVA_OPTS\`;" \
    "PostgreSQL $(psql -Atq -d postgres -c 'SHOW server_version') with autovacuum $(psql -Atq -d postgres -c 'SHOW autovacuum')."
md ""

# ---------------------------------------------------------------------------------------------------------------
bench_proxy() {
    log "proxy: starting the fake upstream, nginx and cli2api"
    start_fake 18080
    local fake=$LAST_PID
    start_nginx 18082 18080
    local nginx=$LAST_PID
    start_app 18081 proxy QUARKUS_DATASOURCE_JDBC_URL="$JDBC_BASE/cli2api_bench_proxy" \
        MULERUN_API_BASE_URL=http://127.0.0.1:18080
    local app=$LAST_PID
    # the same, with its per-request access log line off, to show what that line costs
    BENCH_ACCESS_LOG=WARN start_app 18083 proxy-nolog QUARKUS_DATASOURCE_JDBC_URL="$JDBC_BASE/cli2api_bench_proxy" \
        MULERUN_API_BASE_URL=http://127.0.0.1:18080
    local nolog=$LAST_PID
    local -A url=([direct]=http://127.0.0.1:18080 [nginx]=http://127.0.0.1:18082 [cli2api]=http://127.0.0.1:18081
        [cli2api-nolog]=http://127.0.0.1:18083)
    local targets=(direct nginx cli2api) t c

    # request bodies: a chat request whose one message is padded to exactly 1 MiB / 10 MiB
    local size
    for size in 1 10; do
        local file=$OUT/body-${size}MiB.json prefix='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"'
        local suffix='"}]}' bytes=$((size * 1048576))
        { printf '%s' "$prefix"; head -c $((bytes - ${#prefix} - ${#suffix})) /dev/zero | tr '\0' 'a'; printf '%s' "$suffix"; } >"$file"
        for t in "${targets[@]}"; do
            local got
            got=$(curl -sf -H 'Content-Type: application/json' --data-binary "@$file" "${url[$t]}/v1/chat/completions" | jq .bench_received_bytes)
            [[ $got == "$bytes" ]] || die "$t forwarded $got bytes of a $bytes-byte body"
        done
    done
    log "proxy: bodies arrive intact through every path; warming up"
    for t in "${targets[@]}" cli2api-nolog; do
        wrk -t2 -c16 -d5s -s bench/post.lua "${url[$t]}/v1/chat/completions" >/dev/null
    done

    local -A rps p50 p99 err n cpu fcpu
    local -A pids=([direct]=$fake [nginx]=$(pids_of_nginx "$nginx") [cli2api]=$app [cli2api-nolog]=$nolog)
    for c in 1 16 64; do
        for t in "${targets[@]}" cli2api-nolog; do
            log "proxy: chat c=$c via $t"
            local before fbefore
            before=$(cpu_ms "${pids[$t]}")
            fbefore=$(cpu_ms "$fake")
            read -r rps[$t:$c] p50[$t:$c] p99[$t:$c] err[$t:$c] n[$t:$c] < <(wrk_run "chat-$t-c$c" -t$((c == 1 ? 1 : 2)) \
                -c$c -d${DUR}s -s bench/post.lua "${url[$t]}/v1/chat/completions")
            fcpu[$t:$c]=$(per_request_us "$fbefore" "$(cpu_ms "$fake")" "${n[$t:$c]}")
            cpu[$t:$c]=$([[ $t == direct ]] && echo "—" || per_request_us "$before" "$(cpu_ms "${pids[$t]}")" "${n[$t:$c]}")
        done
    done
    md "### Text proxy: non-streaming chat (wrk, ${DUR} s per cell, small JSON request and answer)"
    md ""
    md "CPU columns: CPU time the process used during the cell divided by the requests served (user + system, from" \
        "\`/proc/<pid>/stat\`; nginx = master + workers). They depend much less on the machine's other load than req/s."
    md ""
    md "| concurrency | path | req/s | p50 ms | p99 ms | errors | req/s vs nginx | p50 added over direct | proxy CPU µs/req | fake CPU µs/req |"
    md "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    for c in 1 16 64; do
        for t in "${targets[@]}" cli2api-nolog; do
            md "| $c | ${t/-nolog/, access log off} | ${rps[$t:$c]} | ${p50[$t:$c]} | ${p99[$t:$c]} | ${err[$t:$c]} |" \
                "$(ratio "${rps[$t:$c]}" "${rps[nginx:$c]}")× | $(minus "${p50[$t:$c]}" "${p50[direct:$c]}") ms |" \
                "${cpu[$t:$c]} | ${fcpu[$t:$c]} |"
        done
    done
    md ""
    stop "$nolog"
    md "Both cli2api and nginx write one access-log line per request to a file (their defaults); the" \
        "\"cli2api, access log off\" rows are a second cli2api with \`QUARKUS_LOG_CATEGORY__CLI2API_HTTP__LEVEL=WARN\`."
    md ""
    local tput_ratio added
    tput_ratio=$(ratio "${rps[cli2api:64]}" "${rps[nginx:64]}")
    added=$(minus "${p50[cli2api:1]}" "${p50[direct:1]}")
    md "* Target ≥ 0.9× nginx's throughput at 64: **${tput_ratio}×** — $(verdict "$tput_ratio >= 0.9")" \
        "(per request cli2api used $(ratio "${cpu[cli2api:64]}" "${cpu[nginx:64]}" 1)× nginx's CPU)."
    md "* Target ≤ 0.5 ms added p50 over direct at 1: **$added ms** — $(verdict "$added <= 0.5")" \
        "(nginx adds $(minus "${p50[nginx:1]}" "${p50[direct:1]}") ms)."
    md ""

    md "### Text proxy: large request bodies (wrk, concurrency 4, ${DUR} s per cell)"
    md ""
    md "| body | path | req/s | MiB/s in | p50 ms | p99 ms | errors | req/s vs nginx |"
    md "|---|---|---:|---:|---:|---:|---:|---:|"
    for size in 1 10; do
        for t in "${targets[@]}"; do
            log "proxy: ${size} MiB bodies via $t"
            read -r rps[$t:b$size] p50[$t:b$size] p99[$t:b$size] err[$t:b$size] n[$t:b$size] < <(BODY_FILE=$OUT/body-${size}MiB.json \
                wrk_run "body${size}-$t" -t2 -c4 -d${DUR}s -s bench/post.lua "${url[$t]}/v1/chat/completions")
        done
        for t in "${targets[@]}"; do
            md "| ${size} MiB | $t | ${rps[$t:b$size]} | $((rps[$t:b$size] * size)) | ${p50[$t:b$size]} |" \
                "${p99[$t:b$size]} | ${err[$t:b$size]} | $(ratio "${rps[$t:b$size]}" "${rps[nginx:b$size]}")× |"
        done
    done
    md ""
    md "Every body was first checked to arrive byte-complete upstream through each path (\`bench_received_bytes\`)."
    md ""

    local -A sse
    for t in "${targets[@]}"; do
        log "proxy: 200-chunk SSE streams via $t"
        sse[$t]=$(load sse-latency --url "${url[$t]}/v1/chat/completions" --chunks 200 --interval-ms 10 --streams 6)
        echo "${sse[$t]}" >"$OUT/sse-latency-$t.json"
    done
    md "### Text proxy: a 200-chunk SSE stream (one event every 10 ms; 5 streams after a warm-up, 1,000 events)"
    md ""
    md "Delay of an event = time it reached the client − time the fake upstream wrote it (both \`System.nanoTime()\`," \
        "the same monotonic clock on one machine)."
    md ""
    md "| path | delay p50 µs | p90 µs | p99 µs | max µs | added p50 over direct µs | first event after (ms) | first → last event (ms) | events complete |"
    md "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    for t in "${targets[@]}"; do
        json_row "${sse[$t]}" "$t" .delay_p50_us .delay_p90_us .delay_p99_us .delay_max_us \
            "$(minus "$(jq .delay_p50_us <<<"${sse[$t]}")" "$(jq .delay_p50_us <<<"${sse[direct]}")")" \
            .first_event_ms_median '"\(.first_to_last_event_ms_median) (expected \(.expected_first_to_last_ms))"' \
            '(if .errors == 0 and .incomplete == 0 then "yes" else "NO" end)'
    done
    md ""
    local sse_added
    sse_added=$(awk -v a="$(jq .delay_p50_us <<<"${sse[cli2api]}")" -v b="$(jq .delay_p50_us <<<"${sse[direct]}")" 'BEGIN {printf "%.3f", (a - b) / 1000}')
    md "* Target median added per-chunk delay ≤ 1 ms: **$sse_added ms** — $(verdict "$sse_added <= 1")."
    md "* No buffering: the first event arrives $(jq .first_event_ms_median <<<"${sse[cli2api]}") ms after the request" \
        "and events keep arriving over $(jq .first_to_last_event_ms_median <<<"${sse[cli2api]}") ms, the time the" \
        "upstream takes to write them; a buffering proxy would deliver them all at once after ~2 s."
    md ""

    # The 1,000-stream test runs on a fresh cli2api so that the heap and Netty buffers grown by the 10 MiB bodies
    # above do not count as memory needed to hold streams.
    local used
    used=$(proc_sample "$app")
    stop "$app"
    start_app 18081 proxy QUARKUS_DATASOURCE_JDBC_URL="$JDBC_BASE/cli2api_bench_proxy" \
        MULERUN_API_BASE_URL=http://127.0.0.1:18080
    app=$LAST_PID
    pids[cli2api]=$app
    sleep 2
    local -A hold
    for t in "${targets[@]}"; do
        log "proxy: 1,000 open SSE streams via $t"
        hold[$t]=$(load sse-hold --url "${url[$t]}/v1/chat/completions" --streams 1000 --chunks 30 --interval-ms 500 \
            --pids "${pids[$t]}")
        echo "${hold[$t]}" >"$OUT/sse-hold-$t.json"
    done
    md "### Text proxy: 1,000 concurrent SSE streams (30 events 500 ms apart each, all opened at once)"
    md ""
    md "RSS and threads are those of the process(es) in the path: the fake upstream for direct, nginx master + workers," \
        "cli2api's JVM (restarted for this test; after the tests above it had RSS ${used% *} MiB, ${used#* } threads);" \
        "sampled every 250 ms while all 1,000 streams were open."
    md ""
    md "| path | completed | errors | all open after ms | RSS idle MiB | RSS with 1,000 open MiB | threads idle | threads with 1,000 open |"
    md "|---|---:|---:|---:|---:|---:|---:|---:|"
    for t in "${targets[@]}"; do
        json_row "${hold[$t]}" "$t" .completed .errors .all_open_after_ms .idle_rss_mb .rss_all_open_mb .idle_threads \
            .threads_all_open
    done
    md ""
    local rss ok
    rss=$(jq .rss_all_open_mb <<<"${hold[cli2api]}")
    ok=$(jq '.completed == 1000 and .errors == 0' <<<"${hold[cli2api]}")
    md "* Target all 1,000 complete with zero errors: $([[ $ok == true ]] && echo met || echo "**missed** ($(jq -c '{completed, errors, first_error}' <<<"${hold[cli2api]}"))")."
    md "* Target cli2api RSS ≤ 300 MB while holding them: **$rss MiB** — $(verdict "$rss * 1.048576 <= 300")."
    md ""
    stop "$app" "$nginx" "$fake"
}

# ---------------------------------------------------------------------------------------------------------------
bench_images() {
    log "images: starting a slow fake upstream (tasks finish ${IMAGE_DELAY_MS} ms after submit) and cli2api"
    start_fake 18090 --job-delay-ms "$IMAGE_DELAY_MS" --job-polls 0
    local fake=$LAST_PID
    start_app 18091 images QUARKUS_DATASOURCE_JDBC_URL="$JDBC_BASE/cli2api_bench_images" \
        MULERUN_API_BASE_URL=http://127.0.0.1:18090
    local app=$LAST_PID
    sleep 2
    local idle
    idle=$(proc_sample "$app")
    local body='{"model":"gpt-image-2","prompt":"a lighthouse at dusk","size":"1024x1024"}'
    local -A burst
    local n
    for n in 500 5000; do
        log "images: $n requests pending at once"
        burst[$n]=$(load burst --url http://127.0.0.1:18091/v1/images/generations --requests $n --concurrency $n \
            --body "$body" --check-image true --pids "$app")
        echo "${burst[$n]}" >"$OUT/images-$n.json"
    done
    sleep 2
    local after
    after=$(proc_sample "$app")
    local upstream
    upstream=$(curl -sf http://127.0.0.1:18090/stats)
    md "### Images: requests waiting on a slow upstream job (each task completes ${IMAGE_DELAY_MS} ms after submit)"
    md ""
    md "Each request is a \`POST /v1/images/generations\`; all of a round are sent at once. cli2api polls with its" \
        "default backoff (2 s ×1.5 up to 10 s). Correct = 200 with one asset URL naming its own upstream task, no URL" \
        "seen twice. Upstream saw $(jq .submits <<<"$upstream") submits and $(jq .polls <<<"$upstream") polls in total."
    md ""
    md "| pending at once | ok | errors | distinct URLs | wall s | p50 s | threads | RSS MiB |"
    md "|---|---:|---:|---:|---:|---:|---:|---:|"
    md "| 0 (idle, after start) | | | | | | ${idle#* } | ${idle% *} |"
    for n in 500 5000; do
        json_row "${burst[$n]}" '"\(.requests) (peak seen \(.peak_pending))"' .ok .errors .distinct_urls .elapsed_s \
            '(.latency_p50_ms / 10 | round / 100)' .threads_at_peak_pending .rss_at_peak_pending_mb
    done
    md "| 0 (idle, after both rounds) | | | | | | ${after#* } | ${after% *} |"
    md ""
    local j=${burst[5000]} t500 t5000 rss
    t500=$(jq .threads_at_peak_pending <<<"${burst[500]}")
    t5000=$(jq .threads_at_peak_pending <<<"$j")
    rss=$(jq .peak_rss_mb <<<"$j")
    md "* Target all complete correctly: $([[ $(jq '.ok == 5000 and .distinct_urls == 5000' <<<"$j") == true ]] && echo met || echo "**missed** ($(jq -c '{ok, errors, first_error}' <<<"$j"))")."
    md "* Target threads do not grow with the number of waits: idle ${idle#* }, 500 pending $t500, 5,000 pending" \
        "$t5000 — $(verdict "$t5000 <= $t500 + 2")."
    md "* Target RSS ≤ 512 MB with 5,000 pending: peak **$rss MiB** — $(verdict "$rss * 1.048576 <= 512")."
    md ""
    stop "$app" "$fake"
}

# ---------------------------------------------------------------------------------------------------------------
bench_jobs() {
    local db=cli2api_bench_jobs jdbc=$JDBC_BASE/cli2api_bench_jobs${BENCH_JDBC_PARAMS:-}
    psql -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null
    log "jobs: starting a fast fake upstream (each task: processing on the first poll, completed on the second)"
    start_fake 18095 --job-delay-ms 0 --job-polls 1
    local fake=$LAST_PID
    # Each instance's connection pool is capped (the default is 50), so that two instances stay well inside
    # PostgreSQL's default max_connections = 100 next to whoever else uses the server.
    local common=(QUARKUS_DATASOURCE_JDBC_URL="$jdbc" MULERUN_API_BASE_URL=http://127.0.0.1:18095 "${JOB_ENV[@]}"
        QUARKUS_DATASOURCE_JDBC_MAX_SIZE="${BENCH_DB_POOL:-20}")
    local paced=(QUARKUS_DATASOURCE_JDBC_URL="$jdbc" MULERUN_API_BASE_URL=http://127.0.0.1:18095 "${PACED_ENV[@]}"
        QUARKUS_DATASOURCE_JDBC_MAX_SIZE="${BENCH_DB_POOL:-20}")

    log "jobs: queueing $JOBS video jobs through POST /v1/videos (worker off)"
    start_app 18096 queue "${common[@]}" CLI2API_WORKER_INTERVAL=0
    local queued
    queued=$(load burst --url http://127.0.0.1:18096/v1/videos --requests "$JOBS" --concurrency 32 --expect 202 \
        --body '{"model":"sora-2","prompt":"a paper boat on a river","seconds":"4","size":"720x1280"}')
    echo "$queued" >"$OUT/jobs-queue.json"
    [[ $(jq .ok <<<"$queued") == "$JOBS" ]] || die "queueing failed: $queued"
    stop "$LAST_PID"
    psql -q -d $db -c "DROP TABLE IF EXISTS bench_seed; CREATE TABLE bench_seed AS SELECT * FROM jobs; TRUNCATE jobs" \
        >/dev/null
    psql -Atq -d $db -c "SELECT local_id FROM bench_seed" >"$OUT/job-ids.txt"

    # A round: the instances start on an empty queue (so they are up and their workers ticking), the watcher
    # starts, then all queued rows appear at once in one INSERT; the round ends when every job is terminal.
    local -A app_cpu db_cpu jit warm p99s
    local watcher gets_pid
    # pg_cpu: CPU ms used so far by the PostgreSQL backends serving the app(s) (not the watcher's own connection)
    pg_cpu() {
        cpu_ms $(psql -Atq -d postgres -c "SELECT pid FROM pg_stat_activity WHERE datname = '$db' AND pid <> pg_backend_pid() AND application_name <> 'bench-watch'")
    }
    begin_round() {
        psql -q -d $db -c "TRUNCATE jobs" >/dev/null
        curl -sf -X POST http://127.0.0.1:18095/stats/reset >/dev/null
        java -cp "$BENCH_CP" bench.JobsWatch --jdbc "$jdbc" --fake http://127.0.0.1:18095 --total "$JOBS" \
            --timeout-s 600 >"$OUT/jobs-$1.json" &
        watcher=$!
        sleep 2
        app_cpu[$1]=$(cpu_ms "${@:2}")
        db_cpu[$1]=$(pg_cpu)
        psql -q -d $db -c "INSERT INTO jobs OVERRIDING SYSTEM VALUE SELECT * FROM bench_seed" >/dev/null
    }
    end_round() {
        wait $watcher || die "jobs round $1 did not finish: $(cat "$OUT/jobs-$1.json")"
        app_cpu[$1]=$(($(cpu_ms "${@:2}") - app_cpu[$1]))
        db_cpu[$1]=$(($(pg_cpu) - db_cpu[$1]))
    }

    log "jobs: one instance drains the queue"
    start_app 18096 bench-1 "${common[@]}"
    local a=$LAST_PID
    begin_round one "$a"
    end_round one "$a"
    stop "$a"

    log "jobs: two instances drain the queue"
    launch_app 18096 bench-1 "${common[@]}"
    a=$LAST_PID
    launch_app 18097 bench-2 "${common[@]}"
    local b=$LAST_PID
    wait_http http://127.0.0.1:18096/healthz 90
    wait_http http://127.0.0.1:18097/healthz 90
    begin_round two "$a" "$b"
    end_round two "$a" "$b"
    stop "$a" "$b"

    log "jobs: one instance drains the queue at the default call rate"
    start_app 18096 bench-1 "${paced[@]}"
    a=$LAST_PID
    begin_round paced-one "$a"
    end_round paced-one "$a"
    stop "$a"

    log "jobs: two instances drain the queue at the default call rate"
    launch_app 18096 bench-1 "${paced[@]}"
    a=$LAST_PID
    launch_app 18097 bench-2 "${paced[@]}"
    b=$LAST_PID
    wait_http http://127.0.0.1:18096/healthz 90
    wait_http http://127.0.0.1:18097/healthz 90
    begin_round paced-two "$a" "$b"
    end_round paced-two "$a" "$b"
    stop "$a" "$b"

    # background_gets / stop_gets: the GETs of the measured rounds, running in the background while a warm-up goes on
    background_gets() {
        IDS_FILE=$OUT/job-ids.txt wrk -t2 -c64 -d3600s -s bench/get-jobs.lua http://127.0.0.1:18096 \
            >>"$OUT/wrk-warmup.txt" 2>&1 &
        gets_pid=$!
        BENCH_PIDS+=($gets_pid)
    }
    stop_gets() {
        kill "$gets_pid" 2>/dev/null || true
        wait "$gets_pid" 2>/dev/null || true
    }
    # warm_gets: GETs for BENCH_WARMUP seconds on the same ids, stored as completed jobs (the worker leaves those
    # alone), so the JIT has compiled the GET path before anything is measured; then the table is emptied again.
    warm_gets() {
        psql -q -d $db -c "TRUNCATE jobs; INSERT INTO jobs OVERRIDING SYSTEM VALUE SELECT * FROM bench_seed; UPDATE jobs SET status = 'completed', completed_at = created_at, result_urls = '[\"https://cdn.example/v.mp4\"]'" >/dev/null
        background_gets
        sleep "${BENCH_WARMUP:-20}"
        stop_gets
        psql -q -d $db -c "TRUNCATE jobs" >/dev/null
    }
    # warm_worker ROUND N: at least N drains of the whole queue under the GETs, and more (at most 10 in all) until
    # one drain sees the JIT compile for less than half a second, so the JIT has compiled the worker's path and the
    # mix of both (a fresh instance spends its first minute or so compiling the worker's path, and the first drain
    # under GETs still compiles for several seconds, on the cores the GETs need); the drains done in warm[ROUND]
    warm_worker() {
        local i j0
        background_gets
        for ((i = 1; i <= 10; i++)); do
            j0=$(jit_s "$a")
            psql -q -d $db -c "TRUNCATE jobs; INSERT INTO jobs OVERRIDING SYSTEM VALUE SELECT * FROM bench_seed" >/dev/null
            until [[ $(psql -Atq -d $db -c "SELECT count(*) FROM jobs WHERE status IN ('queued', 'in_progress')") == 0 ]]; do
                sleep 1
            done
            ((i >= $2)) && [[ $(awk -v d="$(minus "$(jit_s "$a")" "$j0")" 'BEGIN { print (d < 0.5) }') == 1 ]] && break
        done
        warm[$1]=$((i > 10 ? 10 : i))
        stop_gets
        psql -q -d $db -c "TRUNCATE jobs" >/dev/null
    }
    # jit_s PID: seconds the JVM's JIT compilers have spent so far (jstat -compiler), to show how much of a measured
    # round went to compiling
    jit_s() {
        jstat -compiler "$1" | awk 'NR == 2 {print $4}'
    }
    # settle_jit PID: waits (at most 4 minutes) until the JIT compiles for less than half a second in 10 s, so a
    # round measures the service and not the compiler (on two busy cores C2 takes a minute or more of the mixed load
    # to settle: 14, 11, 8, 6, 1.4, 0.8, 0.2 s of compiling per 10 s in a trial of the steady round)
    settle_jit() {
        local i j0 j1
        for ((i = 0; i < 24; i++)); do
            j0=$(jit_s "$1")
            sleep 10
            j1=$(jit_s "$1")
            [[ $(awk -v a="$j0" -v b="$j1" 'BEGIN { print (b - a < 0.5) }') == 1 ]] && return
        done
    }
    # calls_now: submits + polls the fake has answered so far
    calls_now() {
        curl -sf http://127.0.0.1:18095/stats | jq '.submits + .polls'
    }
    # gets_while_draining ROUND WRK_NAME SECONDS [PORT]: a round of instance $a in which GETs (to PORT, default the
    # instance's 18096) run for SECONDS from the moment the queue appears; sets drain_get to "<req/s> <p50 ms> <p99 ms>
    # <errors> <requests> <upstream calls/s meanwhile>"
    gets_while_draining() {
        local c0 j0
        begin_round "$1" "$a"
        c0=$(calls_now)
        j0=$(jit_s "$a")
        read -r -a drain_get < <(IDS_FILE=$OUT/job-ids.txt wrk_run "$2" -t2 -c64 -d"$3"s \
            -s bench/get-jobs.lua "http://127.0.0.1:${4:-18096}")
        drain_get+=("$(awk -v a="$c0" -v b="$(calls_now)" -v d="$3" 'BEGIN { printf "%.0f\n", (b - a) / d }')")
        jit[$1]=$(minus "$(jit_s "$a")" "$j0")
        end_round "$1" "$a"
    }

    # One 10 s window's p99 varies twofold from one drain to the next on this shared machine, so a GET-while-draining
    # round measures several drains and reports the one with the median p99.
    # drain_once ROUND WRK_NAME SECONDS [PORT]: one gets_while_draining, kept for drain_median ROUND
    local -A drain_rows drain_jits drain_p99s
    drain_once() {
        gets_while_draining "$@"
        drain_rows[$1]+="${drain_get[*]}"$'\n'
        drain_jits[$1]+="${jit[$1]} "
        drain_p99s[$1]+="${drain_get[2]} "
    }
    # drain_median ROUND: sets drain_get and jit[ROUND] to those of ROUND's drain with the median p99, and p99s[ROUND] to
    # every drain's p99 (the jobs table shows the last drain)
    drain_median() {
        local i median rows jits p99
        mapfile -t rows <<<"${drain_rows[$1]%$'\n'}"
        read -r -a jits <<<"${drain_jits[$1]}"
        read -r -a p99 <<<"${drain_p99s[$1]}"
        median=$(for i in "${!p99[@]}"; do echo "${p99[$i]} $i"; done | sort -n \
            | awk '{ index_of[NR] = $2 } END { print index_of[int((NR + 1) / 2)] }')
        read -r -a drain_get <<<"${rows[$median]}"
        jit[$1]=${jits[$median]}
        p99s[$1]=$(IFS=,; echo "${p99[*]}" | sed 's/,/, /g')
    }

    # The floor (bench/src/bench/FloorServer.java): a server that does nothing for GET /v1/videos/{id} but HTTP and
    # the same read of the same rows, coalesced the same way; measured side by side with the instance, it shows what
    # p99 this machine gives any server at concurrency 64 while the same worker drains the same queue.
    start_floor() {
        java $APP_JAVA_OPTS -cp "$BENCH_CP" bench.FloorServer --port 18094 --database "$db" >"$OUT/floor.log" 2>&1 &
        floor=$!
        BENCH_PIDS+=($floor)
        psql -q -d $db -c "TRUNCATE jobs; INSERT INTO jobs OVERRIDING SYSTEM VALUE SELECT * FROM bench_seed" >/dev/null
        wait_http "http://127.0.0.1:18094/v1/videos/$(head -1 "$OUT/job-ids.txt")" 30
        IDS_FILE=$OUT/job-ids.txt wrk -t2 -c64 -d"${BENCH_WARMUP:-20}"s -s bench/get-jobs.lua http://127.0.0.1:18094 \
            >>"$OUT/wrk-warmup.txt" 2>&1
        psql -q -d $db -c "TRUNCATE jobs" >/dev/null
    }

    log "jobs: GET /v1/videos/{id} at concurrency 64 while one instance's worker drains the queue at its default rate (after ${BENCH_WARMUP:-20} s of GETs and at least ${BENCH_WARM_DRAINS:-3} drains to warm up)"
    start_app 18096 bench-1 "${paced[@]}"
    a=$LAST_PID
    local floor i
    start_floor
    warm_gets
    warm_worker get "${BENCH_WARM_DRAINS:-3}"
    local drain_get gr gp50 gp99 gerr gn gcalls lr lp50 lp99 lerr ln lcalls
    local repeats=${BENCH_DRAIN_REPEATS:-3}
    # the instance's drains and the floor's alternate (instance first, then floor first, ...)
    for ((i = 1; i <= repeats; i++)); do
        if ((i % 2)); then
            drain_once get "get-busy-$i" "$DUR"
            drain_once floor "get-floor-busy-$i" "$DUR" 18094
        else
            drain_once floor "get-floor-busy-$i" "$DUR" 18094
            drain_once get "get-busy-$i" "$DUR"
        fi
    done
    drain_median floor
    read -r lr lp50 lp99 lerr ln lcalls <<<"${drain_get[*]}"
    drain_median get
    read -r gr gp50 gp99 gerr gn gcalls <<<"${drain_get[*]}"
    local ir ip50 ip99 ierr in c1 d1 j1
    c1=$(cpu_ms "$a")
    d1=$(pg_cpu)
    j1=$(jit_s "$a")
    read -r ir ip50 ip99 ierr in < <(IDS_FILE=$OUT/job-ids.txt wrk_run get-idle -t2 -c64 -d${DUR}s \
        -s bench/get-jobs.lua http://127.0.0.1:18096)
    jit[idle]=$(minus "$(jit_s "$a")" "$j1")
    local get_app get_db
    get_app=$(per_request_us "$c1" "$(cpu_ms "$a")" "$in")
    get_db=$(per_request_us "$d1" "$(pg_cpu)" "$in")
    local fir fip50 fip99 fierr fin floor_app floor_db
    c1=$(cpu_ms "$floor")
    d1=$(pg_cpu)
    read -r fir fip50 fip99 fierr fin < <(IDS_FILE=$OUT/job-ids.txt wrk_run get-floor-idle -t2 -c64 -d${DUR}s \
        -s bench/get-jobs.lua http://127.0.0.1:18094)
    floor_app=$(per_request_us "$c1" "$(cpu_ms "$floor")" "$fin")
    floor_db=$(per_request_us "$d1" "$(pg_cpu)" "$fin")
    stop "$a" "$floor"

    local full_dur=${BENCH_FULL_DRAIN_DURATION:-5}
    log "jobs: GET /v1/videos/{id} at concurrency 64 while one instance's worker drains the queue at full speed (CLI2API_WORKER_RATE=0, after ${BENCH_WARMUP:-20} s of GETs and at least 4 drains to warm up)"
    start_app 18096 bench-1 "${common[@]}"
    a=$LAST_PID
    warm_gets
    warm_worker full 4
    local fr fp50 fp99 ferr fn fcalls
    for ((i = 1; i <= repeats; i++)); do
        drain_once full "get-full-$i" "$full_dur"
    done
    drain_median full
    read -r fr fp50 fp99 ferr fn fcalls <<<"${drain_get[*]}"
    stop "$a" "$fake"

    # Steady state, as in production: the same jobs stay in flight (the upstream answers "processing" for an hour)
    # and are polled every STEADY_INTERVAL, i.e. JOBS / interval polls/s; GETs are measured once every job has been
    # submitted and polled at least once, so the worker runs at that rate for the whole measurement.
    local steady_interval=${BENCH_STEADY_POLL_INTERVAL:-16s}
    local steady_s=${steady_interval%s}
    log "jobs: steady state: $JOBS jobs in flight, each polled every $steady_interval, GET /v1/videos/{id} at concurrency 64"
    start_fake 18098 --job-delay-ms 3600000 --job-polls 1000000000
    fake=$LAST_PID
    start_app 18096 bench-1 QUARKUS_DATASOURCE_JDBC_URL="$jdbc" MULERUN_API_BASE_URL=http://127.0.0.1:18098 \
        "${PACED_ENV[@]}" CLI2API_POLL_INTERVAL="$steady_interval" CLI2API_POLL_MAX_INTERVAL="$steady_interval" \
        QUARKUS_DATASOURCE_JDBC_MAX_SIZE="${BENCH_DB_POOL:-20}"
    a=$LAST_PID
    warm_gets
    psql -q -d $db -c "INSERT INTO jobs OVERRIDING SYSTEM VALUE SELECT * FROM bench_seed" >/dev/null
    local i
    for ((i = 0; i < 300; i++)); do
        [[ $(curl -sf http://127.0.0.1:18098/stats | jq .submits) -ge $JOBS ]] && break
        sleep 1
    done
    # two poll cycles under the GETs (every job polled twice), then until the JIT has compiled the mix
    background_gets
    sleep $((2 * steady_s + 2))
    settle_jit "$a"
    stop_gets
    local sp0 sp1 sr sp50 sp99 serr sn sc0 sd0 steady_app steady_db steady_polls j0
    sp0=$(curl -sf http://127.0.0.1:18098/stats | jq .polls)
    sc0=$(cpu_ms "$a")
    sd0=$(pg_cpu)
    j0=$(jit_s "$a")
    read -r sr sp50 sp99 serr sn < <(IDS_FILE=$OUT/job-ids.txt wrk_run get-steady -t2 -c64 -d${DUR}s \
        -s bench/get-jobs.lua http://127.0.0.1:18096)
    jit[steady]=$(minus "$(jit_s "$a")" "$j0")
    sp1=$(curl -sf http://127.0.0.1:18098/stats | jq .polls)
    steady_polls=$(awk -v a="$sp0" -v b="$sp1" -v d="$DUR" 'BEGIN { printf "%.0f\n", (b - a) / d }')
    steady_app=$(per_request_us "$sc0" "$(cpu_ms "$a")" "$sn")
    steady_db=$(per_request_us "$sd0" "$(pg_cpu)" "$sn")
    stop "$a" "$fake"

    local one two get
    one=$(cat "$OUT/jobs-one.json")
    two=$(cat "$OUT/jobs-two.json")
    get=$(cat "$OUT/jobs-get.json")
    md "### Durable jobs: $JOBS queued video jobs against a fast fake upstream"
    md ""
    md "Jobs were queued through \`POST /v1/videos\` ($(jq .per_s <<<"$queued") jobs/s at concurrency 32, p99" \
        "$(jq .latency_p99_ms <<<"$queued") ms) with the worker off. In each round the instances start on an empty queue, then the same $JOBS rows are" \
        "inserted at once. Each job costs one submit and two polls upstream. Worker settings: \`${PACED_ENV[*]}\`," \
        "with the default call rate (\`CLI2API_WORKER_RATE\`, 1000 calls/s per instance) in the rounds marked \"default rate\"" \
        "and \`CLI2API_WORKER_RATE=0\` (no limit) in the others;" \
        "connection pool \`QUARKUS_DATASOURCE_JDBC_MAX_SIZE=${BENCH_DB_POOL:-20}\` per instance (default 50)." \
        "The drain rounds run on fresh instances, so their first seconds include the JIT compiling the worker's path."
    md "Time runs from the INSERT (first job touched) to the last job completed. With a backlog, the worker submits" \
        "every queued job before polling (claims go by \`next_run_at\`, oldest first), so a round is a submit phase" \
        "then a poll phase; polls/s is measured over the poll phase (first to last poll), per upstream token = per" \
        "instance. CPU = CPU time of the app JVM(s) and of the PostgreSQL backends serving them, per job (in the rounds" \
        "with GET load, the GETs' CPU included)."
    md ""
    md "| round | jobs/s | wall s | failed | submit phase s (submits/s) | polls/s during poll phase | per instance | upstream calls/s overall | app CPU ms/job | PostgreSQL CPU ms/job |"
    md "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    local r
    for r in one two paced-one paced-two get full; do
        local label
        case $r in
            one) label="one instance, full speed" ;;
            two) label="two instances, full speed" ;;
            paced-one) label="one instance, default rate" ;;
            paced-two) label="two instances, default rate" ;;
            get) label="one warmed instance, default rate, + GET load (first ${DUR} s; the last of its drains)" ;;
            full) label="one warmed instance, full speed, + GET load (first ${BENCH_FULL_DRAIN_DURATION:-5} s; the last of its drains)" ;;
        esac
        json_row "$(cat "$OUT/jobs-$r.json")" "$label" .jobs_per_s .elapsed_s .failed '"\(.submit_phase_s) (\(.submits_per_s))"' \
            .polls_per_s '([.polls_per_s_by_instance | to_entries[] | "\(.key): \(.value)"] | join(", "))' \
            .upstream_calls_per_s "$(ratio "${app_cpu[$r]}" "$JOBS")" "$(ratio "${db_cpu[$r]}" "$JOBS")"
    done
    md ""
    md "Two instances vs one: **$(ratio "$(jq .jobs_per_s <<<"$two")" "$(jq .jobs_per_s <<<"$one")")×** the jobs/s at full" \
        "speed, **$(ratio "$(jq .jobs_per_s <<<"$(cat "$OUT/jobs-paced-two.json")")" "$(jq .jobs_per_s <<<"$(cat "$OUT/jobs-paced-one.json")")")×** at the default rate."
    md ""
    md "| \`GET /v1/videos/{id}\` at concurrency 64 | req/s | p50 ms | p99 ms | errors | app CPU µs/GET | PostgreSQL CPU µs/GET | JIT compiling, s ² |"
    md "|---|---:|---:|---:|---:|---:|---:|---:|"
    md "| while the worker drains the queue at its default rate ($gcalls upstream calls/s measured; median of $repeats drains by p99, whose p99s were ${p99s[get]} ms) | $gr | $gp50 | $gp99 | $gerr | — | — | ${jit[get]} |"
    md "| while the worker drains the queue as fast as it can, \`CLI2API_WORKER_RATE=0\` ($fcalls upstream calls/s measured, ${full_dur} s; median of $repeats drains by p99, whose p99s were ${p99s[full]} ms) | $fr | $fp50 | $fp99 | $ferr | — | — | ${jit[full]} |"
    md "| while the worker polls $JOBS jobs in flight every $steady_interval ($steady_polls polls/s measured) | $sr | $sp50 | $sp99 | $serr | $steady_app ¹ | $steady_db ¹ | ${jit[steady]} |"
    md "| worker idle (queue empty) | $ir | $ip50 | $ip99 | $ierr | $get_app | $get_db | ${jit[idle]} |"
    md "| *floor* ³ while the same worker drains the queue at its default rate ($lcalls upstream calls/s measured; median of $repeats drains by p99, whose p99s were ${p99s[floor]} ms) | $lr | $lp50 | $lp99 | $lerr | — | — | — |"
    md "| *floor* ³, worker idle | $fir | $fip50 | $fip99 | $fierr | $floor_app | $floor_db | — |"
    md ""
    md "¹ CPU of the app and of its PostgreSQL backends over the measurement, worker included, per GET."
    md "² Seconds the app's JIT compiler threads spent compiling during the measurement (\`jstat -compiler\`)."
    md "³ The floor (\`bench/src/bench/FloorServer.java\`): a Vert.x server on as many event loops that answers the same" \
        "GETs with nothing but HTTP and the same read of the same rows, coalesced the same way (no routing, key check," \
        "request id, access line, usage record or Videos API shape), started beside the instance and warmed the same;" \
        "its drains alternate with the instance's. What it measures is what this machine gives any server at" \
        "concurrency 64; its CPU columns are its own JVM's and the database's."
    md ""
    md "Each GET round follows ${BENCH_WARMUP:-20} s of the same GETs on a fresh instance, so the JIT has compiled the" \
        "GET path (without it the first seconds measure the compiler); the drain rounds also follow ${warm[get]}" \
        "(default rate) and ${warm[full]} (full speed) drains of the whole queue (at least ${BENCH_WARM_DRAINS:-3} and 4, then" \
        "until a drain saw the JIT compile for less than half a second), and the steady round two poll cycles and then as long" \
        "as the JIT still compiles half a second or more per 10 s, all under the same GETs, so that the worker's path and" \
        "the mix of both are compiled too — a replica that has run for a while, not one in its first minute."
    md ""
    md "wrk is a closed loop: 64 connections each wait for their answer, so the mean latency is 64 ÷ throughput;" \
        "a p99 of 10 ms at concurrency 64 needs at least 6,400 GETs/s from the instance."
    md ""
    local polls
    polls=$(jq .polls_per_s <<<"$one")
    md "* Target ≥ 500 upstream polls/s per instance: **$polls** with one instance — $(verdict "$polls >= 500")."
    md "* Target GET p99 ≤ 10 ms while the worker runs: **$gp99 ms** while it drains the backlog at its default rate" \
        "($gcalls calls/s; median of $repeats drains: ${p99s[get]}) — $(verdict "$gp99 <= 10"); **$sp99 ms** while it polls" \
        "$steady_polls/s — $(verdict "$sp99 <= 10"); **$fp99 ms** while it drains the backlog at full speed ($fcalls calls/s;" \
        "median of $repeats drains: ${p99s[full]}) — $(verdict "$fp99 <= 10")."
    md "* The floor ³ on this machine, in the same sitting: **$lp99 ms** while the same worker drains at its default rate" \
        "(median of $repeats drains: ${p99s[floor]}), **$fip99 ms** with the worker idle; the instance served" \
        "$(ratio "$gr" "$lr")× the floor's GETs/s while draining and $(ratio "$ir" "$fir")× idle."
    md ""
}

case $WHAT in
    proxy) bench_proxy ;;
    images) bench_images ;;
    jobs) bench_jobs ;;
    all) bench_proxy; bench_images; bench_jobs ;;
esac
md "Raw outputs: \`bench/results/$(basename "$OUT")/\`."
echo
cat "$SUMMARY"
