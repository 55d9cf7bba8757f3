#!/usr/bin/env bash
# JWT: Go benchmarks of HS256 signing and verification through the
# playground's own code, beside bare golang-jwt and a raw HMAC-SHA256 over
# the same signing input. They also time the whole GET /jwt/data route on
# an in-memory store and on SQLite, and bare golang-jwt for RS256, ES256
# and EdDSA, which the playground does not offer. Prints the benchmark
# lines and the ratios of the medians.
#
#	bench/jwt.sh           # 5 runs of 1 s each per benchmark
#	bench/jwt.sh --smoke   # 1 run of 100 iterations each
source "$(dirname "$0")/lib.sh"
require_tools go

flags=(-count 5)
if [[ ${1:-} == --smoke ]]; then
	flags=(-count 1 -benchtime 100x)
fi

print_machine
cd "$REPO_DIR"
go test -run '^$' -bench . -benchmem "${flags[@]}" ./playground ./bench/jwt | tee "$WORK/jwt.txt"

# Medians of ns/op per benchmark, then the ratios docs/benchmarks.md uses.
awk '
	/^Benchmark/ { name = $1; sub(/-[0-9]+$/, "", name); n[name]++; v[name, n[name]] = $3 }
	function median(name,   i, j, t, k, a) {
		k = n[name]
		for (i = 1; i <= k; i++) a[i] = v[name, i]
		for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
	}
	END {
		pg = median("BenchmarkVerifyHS256/playground"); bare = median("BenchmarkVerifyHS256/golang-jwt"); floor = median("BenchmarkVerifyHS256/hmac-floor")
		printf "verify HS256: playground %.0f ns, golang-jwt %.0f ns, HMAC floor %.0f ns\n", pg, bare, floor
		printf "playground/golang-jwt verify: %.2f (target at most 1.2)\n", pg / bare
		printf "golang-jwt/HMAC floor verify: %.1f\n", bare / floor
		login = median("BenchmarkSignHS256/playground-login"); sign = median("BenchmarkSignHS256/golang-jwt")
		printf "POST /jwt/login / golang-jwt sign: %.2f\n", login / sign
		memory = median("BenchmarkJWTDataRouteMemory"); sqlite = median("BenchmarkJWTDataRouteSQLite")
		printf "GET /jwt/data route: memory store %.0f ns, SQLite %.0f ns, SQLite/memory %.1f, SQLite/golang-jwt %.1f\n", memory, sqlite, sqlite / memory, sqlite / bare
	}' "$WORK/jwt.txt"
