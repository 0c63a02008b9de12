# Helpers shared by bench/run.sh (sourced, not run).

BENCH_PIDS=()

die() {
    echo "bench: $*" >&2
    exit 1
}

log() {
    echo "[$(date -u +%H:%M:%S)] $*" >&2
}

# Every process a benchmark starts is registered here and killed on exit.
cleanup() {
    local pid
    for pid in "${BENCH_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${BENCH_PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    BENCH_PIDS=()
}

# stop PID...: ends the given benchmark processes and forgets them.
stop() {
    local pid keep=()
    for pid in "$@"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    for pid in "${BENCH_PIDS[@]}"; do
        [[ " $* " == *" $pid "* ]] || keep+=("$pid")
    done
    BENCH_PIDS=("${keep[@]}")
}

require() {
    local missing=()
    command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
    command -v wrk >/dev/null || missing+=(wrk)
    command -v jq >/dev/null || missing+=(jq)
    command -v psql >/dev/null || missing+=(postgresql-client)
    command -v javac >/dev/null || missing+=(openjdk-17-jdk-headless)
    if ((${#missing[@]})); then
        die "missing tools; install them with: sudo apt-get install -y ${missing[*]}"
    fi
    pg_isready -q -h "$PGHOST" -p "$PGPORT" \
        || die "PostgreSQL is not accepting connections on $PGHOST:$PGPORT (try: pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start)"
}

# ports_free PORT...: fails when something already listens on one of the benchmark's ports.
ports_free() {
    local port
    for port in "$@"; do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            die "port $port is already in use; stop what listens there first"
        fi
    done
}

# wait_http URL [seconds]: until URL answers 2xx.
wait_http() {
    local url=$1 limit=${2:-60} i
    for ((i = 0; i < limit * 10; i++)); do
        curl -sf -o /dev/null "$url" && return 0
        sleep 0.1
    done
    die "$url did not come up within ${limit}s"
}

# start_fake PORT [extra args]: the fake upstream; its pid in LAST_PID.
start_fake() {
    local port=$1
    shift
    java $FAKE_JAVA_OPTS -cp "$BENCH_CP" bench.FakeUpstream --port "$port" "$@" >"$OUT/fake-$port.log" 2>&1 &
    BENCH_PIDS+=($!)
    LAST_PID=$!
    wait_http "http://127.0.0.1:$port/stats" 30
}

# launch_app PORT NAME [VAR=value...]: starts cli2api from the packaged jar with the given environment (upstream
# token muk-NAME) without waiting for it; its pid in LAST_PID.
launch_app() {
    local port=$1 name=$2
    shift 2
    env CLI2API_PORT="$port" MULERUN_TOKEN="muk-$name" QUARKUS_LOG_CATEGORY__CLI2API_HTTP__LEVEL="${BENCH_ACCESS_LOG:-INFO}" \
        "$@" java $APP_JAVA_OPTS -jar "$APP_JAR" >"$OUT/app-$name.log" 2>&1 &
    LAST_PID=$!
    BENCH_PIDS+=($LAST_PID)
}

# start_app PORT NAME [VAR=value...]: launch_app, then wait until it answers.
start_app() {
    launch_app "$@"
    wait_http "http://127.0.0.1:$1/healthz" 90
}

# start_nginx PORT UPSTREAM_PORT: nginx as a plain streaming reverse proxy; the master's pid in LAST_PID.
start_nginx() {
    local port=$1 upstream=$2 dir=$OUT/nginx-$1
    mkdir -p "$dir/tmp"
    cat >"$dir/nginx.conf" <<EOF
worker_processes auto;
worker_rlimit_nofile 20000;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 8192; }
http {
    access_log $dir/access.log;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    client_max_body_size 64m;
    upstream fake { server 127.0.0.1:$upstream; keepalive 256; }
    server {
        listen 127.0.0.1:$port;
        location / {
            proxy_pass http://fake;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_buffering off;
            proxy_read_timeout 300s;
        }
    }
}
EOF
    nginx -c "$dir/nginx.conf" -p "$dir" >"$dir/stdout.log" 2>&1 &
    LAST_PID=$!
    BENCH_PIDS+=($LAST_PID)
    wait_http "http://127.0.0.1:$port/stats" 10
}

# pids_of_nginx MASTER: master and worker pids, comma-separated.
pids_of_nginx() {
    echo "$1,$(pgrep -P "$1" | paste -sd,)"
}

# proc_sample PID: "<rss MiB> <threads>" of one process.
proc_sample() {
    awk '/^VmRSS:/ {rss = int($2 / 1024)} /^Threads:/ {t = $2} END {print rss, t}' "/proc/$1/status"
}

# cpu_ms PID[,PID...]...: user + system CPU time the processes have used so far, in ms.
cpu_ms() {
    local pid files=()
    for pid in ${*//,/ }; do
        files+=("/proc/$pid/stat")
    done
    cat "${files[@]}" 2>/dev/null | awk -v hz="$(getconf CLK_TCK)" '{t += $14 + $15} END {printf "%d\n", t * 1000 / hz}'
}

# per_request_us MS_BEFORE MS_AFTER REQUESTS: CPU microseconds per request.
per_request_us() {
    awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { if (n == 0) print "n/a"; else printf "%.0f\n", (b - a) * 1000 / n }'
}

# wrk_run NAME ARGS...: runs wrk with --latency, keeps its output as $OUT/wrk-NAME.txt and prints
# "<req/s> <p50 ms> <p99 ms> <errors> <requests>".
wrk_run() {
    local name=$1
    shift
    wrk --latency "$@" >"$OUT/wrk-$name.txt" 2>&1 || die "wrk failed: $(cat "$OUT/wrk-$name.txt")"
    awk '
        function ms(v) {
            if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v
        }
        /Requests\/sec:/ {rps = $2}
        / requests in / {n = $1}
        $1 == "50%" {p50 = ms($2)}
        $1 == "99%" {p99 = ms($2)}
        /Non-2xx or 3xx responses:/ {err += $NF}
        /Socket errors:/ {gsub(/,/, ""); err += $4 + $6 + $8 + $10}
        END {printf "%.0f %.3f %.3f %d %d\n", rps, p50, p99, err, n}
    ' "$OUT/wrk-$name.txt"
}

# ratio A B [digits]: A / B.
ratio() {
    awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN { if (b == 0) print "n/a"; else printf "%.*f\n", d, a / b }'
}

# minus A B: A - B with three decimals.
minus() {
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", a - b }'
}

# verdict OK_EXPRESSION: "met" or "**missed**" (awk condition over no input).
verdict() {
    awk "BEGIN { exit !($1) }" && echo "met" || echo "**missed**"
}

md() {
    echo "$*" >>"$SUMMARY"
}

# json_row JSON CELL...: appends a table row; a CELL starting with . ( or " is a jq expression over JSON, others are text.
json_row() {
    local j=$1 cell row="|" expression='^[.("]'
    shift
    for cell in "$@"; do
        [[ $cell =~ $expression ]] && cell=$(jq -r "$cell" <<<"$j")
        row+=" $cell |"
    done
    md "$row"
}
