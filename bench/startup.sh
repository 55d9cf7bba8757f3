#!/usr/bin/env bash
# Start-up: the time from starting learn with the embedded course to the
# first served byte of the outline page (GET /). Each run records the
# time, starts the binary, polls with curl every 5 ms until a response
# arrives, records the time again, and then kills the binary. The runs
# alternate a new data folder (the first start creates the database and
# cookie keys) with one that an earlier start created. Prints the median,
# minimum and maximum of each.
#
#	bench/startup.sh           # 30 runs of each
#	bench/startup.sh --smoke   # 3 runs of each
#
# Each figure includes one curl start per poll and up to 5 ms of polling
# granularity.
source "$(dirname "$0")/lib.sh"
require_tools curl go

runs=30
if [[ ${1:-} == --smoke ]]; then
	runs=3
fi

print_machine
build_learn
port=$(free_port)

# first_byte DATA prints the milliseconds from start to the first
# response of learn on DATA.
first_byte() {
	local start end pid i
	start=$(date +%s%N)
	"$WORK/learn" --addr "127.0.0.1:$port" --data "$1" >/dev/null 2>&1 &
	pid=$!
	for ((i = 0; i < 2000; i++)); do
		if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
			end=$(date +%s%N)
			kill -KILL "$pid"
			wait "$pid" 2>/dev/null || true
			echo $(((end - start) / 1000000))
			return
		fi
		sleep 0.005
	done
	kill -KILL "$pid"
	echo "learn did not answer within 10 s" >&2
	exit 1
}

first_byte "$WORK/kept-data" >/dev/null
: >"$WORK/new.txt"
: >"$WORK/kept.txt"
for ((run = 0; run < runs; run++)); do
	rm -rf "$WORK/new-data"
	first_byte "$WORK/new-data" >>"$WORK/new.txt"
	first_byte "$WORK/kept-data" >>"$WORK/kept.txt"
done

for name in new kept; do
	sort -n "$WORK/$name.txt" | awk -v name="$name" '
		{ v[NR] = $1 }
		END { printf "%s data folder: median %d ms, min %d ms, max %d ms (%d runs)\n", name, v[int((NR + 1) / 2)], v[1], v[NR], NR }'
done
