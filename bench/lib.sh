# Shared helpers for the benchmark scripts in this folder, which source
# this file.
#
# Every server these scripts start listens on 127.0.0.1 only, and every
# process they start is stopped when the script exits.

set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/learn-bench.XXXXXX")
PIDS=()

cleanup() {
	local pid
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$WORK"
}
trap cleanup EXIT

# require_tools exits with a message naming each missing tool.
require_tools() {
	local tool missing=()
	for tool in "$@"; do
		command -v "$tool" >/dev/null || missing+=("$tool")
	done
	if ((${#missing[@]})); then
		echo "missing tools: ${missing[*]} (install the Debian packages of the same names)" >&2
		exit 1
	fi
}

# print_machine prints the facts docs/benchmarks.md records with each run.
print_machine() {
	echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "cores: $(nproc)"
	echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
	echo "memory: $(free -m | awk '/^Mem:/ {print $2 " MiB"}')"
	echo "go: $(go version | cut -d' ' -f3)"
	echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# free_port prints a TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
	local port
	while :; do
		port=$((20000 + RANDOM % 30000))
		if ! ss -ltnH "sport = :$port" | grep -q .; then
			echo "$port"
			return
		fi
	done
}

# build_learn builds the learn server into $WORK/learn.
build_learn() {
	(cd "$REPO_DIR" && go build -o "$WORK/learn" ./cmd/learn)
}

# wait_http waits up to 10 seconds until URL answers, and fails after.
wait_http() {
	local url=$1 i
	for ((i = 0; i < 1000; i++)); do
		if curl -fs -o /dev/null "$url"; then
			return
		fi
		sleep 0.01
	done
	echo "no answer from $url after 10 s" >&2
	exit 1
}

# start_learn PORT DATA [FLAGS...] starts learn on 127.0.0.1:PORT with
# the rate limits raised out of the way, logs in $WORK/learn-PORT.log,
# and waits until it answers.
start_learn() {
	local port=$1 data=$2
	shift 2
	"$WORK/learn" --addr "127.0.0.1:$port" --data "$data" \
		--rate-login 1000000000 --rate-api 1000000000 --rate-learner 1000000000 \
		--rate-sandboxes 1000000000 "$@" \
		>"$WORK/learn-$port.log" 2>&1 &
	PIDS+=($!)
	wait_http "http://127.0.0.1:$port/healthz"
}

# stop_last stops the most recently started process.
stop_last() {
	local pid=${PIDS[-1]}
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	unset 'PIDS[-1]'
}

# wrk_summary prints requests per second, p50 and p99 (in microseconds)
# and the non-2xx count from the output of wrk --latency on stdin.
wrk_summary() {
	awk '
	function us(v) {
		if (v ~ /us$/) return v + 0
		if (v ~ /ms$/) return v * 1000
		if (v ~ /s$/) return v * 1000000
		return v
	}
	/Requests\/sec:/ { rps = $2 }
	/^ +50%/ { p50 = us($2) }
	/^ +99%/ { p99 = us($2) }
	/Non-2xx or 3xx responses:/ { non2xx = $5 }
	/Socket errors:/ { errors = $0 }
	END { printf "rps=%s p50_us=%s p99_us=%s non2xx=%d %s\n", rps, p50, p99, non2xx, errors }'
}
