#!/usr/bin/env bash
# JWT: Go benchmarks of signing and verification through the playground's
# own code for HS256, RS256, ES256 and EdDSA, each beside bare golang-jwt
# on the same key and token, and for HS256 a raw HMAC-SHA256 over the same
# signing input. They also time the whole GET /jwt/data route on an
# in-memory store and on SQLite, and bare golang-jwt with keys made
# outside the playground. Prints the benchmark lines and the ratios of the
# fastest rounds.
#
#	bench/jwt.sh           # 5 rounds of 1 s per benchmark
#	bench/jwt.sh --smoke   # 1 round of 100 iterations per benchmark
source "$(dirname "$0")/lib.sh"
require_tools go

rounds=5 benchtime=1s
if [[ ${1:-} == --smoke ]]; then
	rounds=1 benchtime=100x
fi

print_machine
cd "$REPO_DIR"
go test -c -o "$WORK/playground.test" ./playground
go test -c -o "$WORK/jwt.test" ./bench/jwt

# The rounds run every benchmark once each, so that a burst of load from
# other processes falls on all of them alike rather than on one.
for ((round = 1; round <= rounds; round++)); do
	for binary in playground.test jwt.test; do
		"$WORK/$binary" -test.run '^$' -test.bench . -test.benchmem -test.benchtime "$benchtime"
	done
done | grep '^Benchmark' | tee "$WORK/jwt.txt"

# The ratios use the fastest round of each benchmark, the one least
# slowed by other load, and also print the median of the rounds.
awk '
	/^Benchmark/ { name = $1; sub(/-[0-9]+$/, "", name); n[name]++; v[name, n[name]] = $3 }
	function sorted(name,   i, j, t, k) {
		k = n[name]
		for (i = 1; i <= k; i++) a[i] = v[name, i]
		for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return k
	}
	function fastest(name) { sorted(name); return a[1] }
	function median(name,   k) { k = sorted(name); return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
	END {
		for (name in n) printf "%-40s fastest %9.0f ns/op, median %9.0f ns/op\n", name, fastest(name), median(name)
		verify = fastest("BenchmarkVerifyHS256/playground"); bare = fastest("BenchmarkVerifyHS256/golang-jwt"); floor = fastest("BenchmarkVerifyHS256/hmac-floor")
		printf "playground/golang-jwt verify: %.2f (target at most 1.2)\n", verify / bare
		split("RS256 ES256 EdDSA", asymmetric, " ")
		for (i = 1; i <= 3; i++) {
			alg = asymmetric[i]
			printf "playground/golang-jwt verify %s: %.2f (target at most 1.2)\n", alg, fastest("BenchmarkVerify" alg "/playground") / fastest("BenchmarkVerify" alg "/golang-jwt")
			printf "playground key lookup and sign/golang-jwt sign %s: %.2f\n", alg, fastest("BenchmarkSign" alg "/playground-key") / fastest("BenchmarkSign" alg "/golang-jwt")
		}
		printf "golang-jwt/HMAC floor verify: %.1f\n", bare / floor
		printf "POST /jwt/login / golang-jwt sign: %.2f\n", fastest("BenchmarkSignHS256/playground-login") / fastest("BenchmarkSignHS256/golang-jwt")
		memory = fastest("BenchmarkJWTDataRouteMemory"); sqlite = fastest("BenchmarkJWTDataRouteSQLite")
		printf "GET /jwt/data route: SQLite/memory store %.1f, SQLite/golang-jwt verify %.1f\n", sqlite / memory, sqlite / bare
	}' "$WORK/jwt.txt" | sort
