#!/usr/bin/env bash
# The verify route: wrk against learn's GET /playground/api/jwt/data and
# against the same route on Node.js (bench/node/server.js, jsonwebtoken),
# once with a valid token and once with an expired one, alternated learn,
# node, learn, node. Prints each run and the ratio learn/node of the mean
# requests per second for each token.
#
#	bench/verify.sh           # 64 connections, 30 s a run
#	bench/verify.sh --smoke   # 8 connections, 2 s a run, one round
#
# learn's route also reads the learner's clock and key from SQLite and
# records every exchange in the learner's transcript, which Node's route
# does not; wrk shares the two cores with the servers.
source "$(dirname "$0")/lib.sh"
require_tools wrk node npm curl go

connections=64 duration=30s rounds=2
if [[ ${1:-} == --smoke ]]; then
	connections=8 duration=2s rounds=1
fi
route=/playground/api/jwt/data

print_machine
echo "node: $(node --version)"
(cd "$BENCH_DIR/node" && npm ci --no-audit --no-fund --silent)
build_learn
learn_port=$(free_port)
start_learn "$learn_port" "$WORK/data"
learn=http://127.0.0.1:$learn_port

# learn_login JAR [EXPIRES_IN] logs a new learner in and prints the token.
learn_login() {
	curl -fsS -c "$1" -b "$1" -H 'Content-Type: application/json' \
		-d "{\"username\":\"ada\",\"expiresIn\":${2:-3600}}" "$learn/playground/api/jwt/login" |
		sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}

# learner_cookie JAR prints the learn_learner cookie as a Cookie header value.
learner_cookie() {
	awk '$6 == "learn_learner" { print $6 "=" $7 }' "$1"
}

# expect_status URL WANT [HEADERS...] fails unless URL answers WANT.
expect_status() {
	local url=$1 want=$2 got
	shift 2
	got=$(curl -s -o /dev/null -w '%{http_code}' "$@" "$url")
	if [[ $got != "$want" ]]; then
		echo "$url answered $got, want $want" >&2
		exit 1
	fi
}

# Each learn token belongs to its own learner, whose cookie wrk sends. The
# expired token's learner moves its playground clock past the expiry.
learn_valid_token=$(learn_login "$WORK/valid.jar")
learn_valid_cookie=$(learner_cookie "$WORK/valid.jar")
learn_expired_token=$(learn_login "$WORK/expired.jar" 1)
learn_expired_cookie=$(learner_cookie "$WORK/expired.jar")
curl -fsS -o /dev/null -b "$WORK/expired.jar" -H 'Content-Type: application/json' \
	-d '{"advanceSeconds":3600}' "$learn/playground/api/clock"

export JWT_SECRET
JWT_SECRET=$(head -c 32 /dev/urandom | base64)
node_port=$(free_port)
PORT=$node_port node "$BENCH_DIR/node/server.js" >"$WORK/node.log" 2>&1 &
PIDS+=($!)
node_valid_token=$(node "$BENCH_DIR/node/server.js" sign valid)
node_expired_token=$(node "$BENCH_DIR/node/server.js" sign expired)
node=http://127.0.0.1:$node_port
for ((i = 0; i < 500; i++)); do
	curl -s -o /dev/null "$node$route" && break
	sleep 0.01
done

expect_status "$learn$route" 200 -H "Authorization: Bearer $learn_valid_token" -H "Cookie: $learn_valid_cookie"
expect_status "$learn$route" 401 -H "Authorization: Bearer $learn_expired_token" -H "Cookie: $learn_expired_cookie"
expect_status "$node$route" 200 -H "Authorization: Bearer $node_valid_token"
expect_status "$node$route" 401 -H "Authorization: Bearer $node_expired_token"

for ((round = 1; round <= rounds; round++)); do
	for token in valid expired; do
		for server in learn node; do
			headers=()
			if [[ $server == learn && $token == valid ]]; then
				headers=(-H "Authorization: Bearer $learn_valid_token" -H "Cookie: $learn_valid_cookie")
			elif [[ $server == learn ]]; then
				headers=(-H "Authorization: Bearer $learn_expired_token" -H "Cookie: $learn_expired_cookie")
			elif [[ $token == valid ]]; then
				headers=(-H "Authorization: Bearer $node_valid_token")
			else
				headers=(-H "Authorization: Bearer $node_expired_token")
			fi
			base=$learn
			[[ $server == node ]] && base=$node
			summary=$(wrk -t2 -c"$connections" -d"$duration" --latency "${headers[@]}" "$base$route" | wrk_summary)
			echo "$server $token round $round: $summary"
		done
	done
done | tee "$WORK/runs.txt"

awk '
	{ key = $1 " " $2; split($0, f, ": "); split(f[2], kv, " "); split(kv[1], p, "=")
	  rps[key] += p[2]; count[key]++ }
	END {
		for (t = 1; t <= 2; t++) {
			token = t == 1 ? "valid" : "expired"
			l = rps["learn " token] / count["learn " token]; n = rps["node " token] / count["node " token]
			printf "learn/node requests per second, %s token: %.2f (learn %.0f, node %.0f)\n", token, l / n, l, n
		}
	}' "$WORK/runs.txt"
echo "(non2xx counts the expected 401s of the expired runs)"
