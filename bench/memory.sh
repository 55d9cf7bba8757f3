#!/usr/bin/env bash
# Memory: the Go heap and resident memory of learn idle, after 100,000
# page requests, and after 10,000 and 20,000 learners who each logged in
# with a JWT and a session and called both protected routes. Each phase
# waits 125 s so that the runtime's forced collection (every 2 minutes)
# measures the heap that stays.
#
#	bench/memory.sh           # about 15 minutes on 2 cores
#	bench/memory.sh --smoke   # 2,000 requests, 100 learners, 1 s waits
source "$(dirname "$0")/lib.sh"
require_tools go

args=()
if [[ ${1:-} == --smoke ]]; then
	args=(-requests 2000 -learners 100 -settle 1s)
fi

print_machine
build_learn
cd "$REPO_DIR"
go run ./bench/memory -learn "$WORK/learn" "${args[@]}"
