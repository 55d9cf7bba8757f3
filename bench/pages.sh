#!/usr/bin/env bash
# Lesson pages: wrk against learn serving a lesson to visitors without a
# cookie, and against nginx serving the same HTML bytes, with the same
# security headers, as a static file, alternated learn, nginx, learn,
# nginx. Prints each run and the ratios
# learn/nginx of the mean requests per second, p50 and p99 latency.
#
#	bench/pages.sh           # 64 connections, 30 s a run
#	bench/pages.sh --smoke   # 8 connections, 2 s a run, one round
#
# Both servers write one access log line per request to a file, and wrk
# shares the two cores with them, so the figures are ratios, not
# capacities.
source "$(dirname "$0")/lib.sh"
require_tools wrk nginx curl go

connections=64 duration=30s rounds=2
if [[ ${1:-} == --smoke ]]; then
	connections=8 duration=2s rounds=1
	echo "smoke run: 8 connections for 2 s; the figures only show that the script works"
fi
lesson=/lessons/verifying-a-jwt

print_machine
build_learn
learn_port=$(free_port)
start_learn "$learn_port" "$WORK/data"

# nginx serves the bytes learn sent to a first visitor, from a file,
# with the security headers that learn sent with them, as a static site
# would need them too.
mkdir -p "$WORK/www/lessons" "$WORK/nginx"
curl -fsS -D "$WORK/learn-headers.txt" -o "$WORK/www$lesson" "http://127.0.0.1:$learn_port$lesson"
chmod -R a+rX "$WORK"
security_headers=$(tr -d '\r' <"$WORK/learn-headers.txt" | awk -F': ' '
	tolower($1) ~ /^(content-security-policy|cross-origin-opener-policy|permissions-policy|referrer-policy|x-content-type-options|x-frame-options|strict-transport-security)$/ {
		printf "\t\tadd_header %s \"%s\" always;\n", $1, substr($0, length($1) + 3)
	}')
if [[ $(grep -c add_header <<<"$security_headers") -lt 6 ]]; then
	echo "learn's lesson page lacks some of its security headers:" >&2
	cat "$WORK/learn-headers.txt" >&2
	exit 1
fi
nginx_port=$(free_port)
cat >"$WORK/nginx/nginx.conf" <<CONF
daemon off;
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
	access_log $WORK/nginx/access.log;
	client_body_temp_path $WORK/nginx/body;
	proxy_temp_path $WORK/nginx/proxy;
	fastcgi_temp_path $WORK/nginx/fastcgi;
	uwsgi_temp_path $WORK/nginx/uwsgi;
	scgi_temp_path $WORK/nginx/scgi;
	sendfile on;
	server {
		listen 127.0.0.1:$nginx_port;
		root $WORK/www;
		default_type text/html;
$security_headers
	}
}
CONF
nginx -c "$WORK/nginx/nginx.conf" &
PIDS+=($!)
wait_http "http://127.0.0.1:$nginx_port$lesson"
echo "page: $lesson, $(wc -c <"$WORK/www$lesson") bytes"

# A reader gets the cached page and no cookie from learn, and nginx sends
# the same security headers.
if grep -qi '^set-cookie:' "$WORK/learn-headers.txt"; then
	echo "learn set a cookie for a reader; the run would not measure the cached page" >&2
	exit 1
fi
if ! curl -fsS -D - -o /dev/null "http://127.0.0.1:$nginx_port$lesson" | grep -qi '^content-security-policy: '; then
	echo "nginx sends no Content-Security-Policy; check its configuration in $WORK/nginx" >&2
	exit 1
fi

for ((round = 1; round <= rounds; round++)); do
	for server in learn nginx; do
		port=$learn_port
		[[ $server == nginx ]] && port=$nginx_port
		summary=$(wrk -t2 -c"$connections" -d"$duration" --latency "http://127.0.0.1:$port$lesson" | wrk_summary)
		echo "$server round $round: $summary"
	done
done | tee "$WORK/runs.txt"
echo "(rps: requests per second; p50_us and p99_us: latency in microseconds; a lower latency ratio is better)"

awk '
	{ split($0, f, ": "); server = $1
	  n = split(f[2], kv, " ")
	  for (i = 1; i <= n; i++) { split(kv[i], p, "="); sum[server, p[1]] += p[2] }
	  count[server]++ }
	END {
		for (k in sum) { split(k, s, SUBSEP); mean[s[1], s[2]] = sum[k] / count[s[1]] }
		printf "learn/nginx requests per second: %.2f (learn %.0f, nginx %.0f)\n", mean["learn","rps"] / mean["nginx","rps"], mean["learn","rps"], mean["nginx","rps"]
		printf "learn/nginx p50 latency: %.2f (learn %.0f us, nginx %.0f us)\n", mean["learn","p50_us"] / mean["nginx","p50_us"], mean["learn","p50_us"], mean["nginx","p50_us"]
		printf "learn/nginx p99 latency: %.2f (learn %.0f us, nginx %.0f us)\n", mean["learn","p99_us"] / mean["nginx","p99_us"], mean["learn","p99_us"], mean["nginx","p99_us"]
		printf "non-2xx responses: learn %d, nginx %d\n", sum["learn","non2xx"], sum["nginx","non2xx"]
	}' "$WORK/runs.txt"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
