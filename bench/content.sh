#!/usr/bin/env bash
# Content build: 1,000 generated lessons of about 2 KB each, with prose, a
# fenced Go block and a table. hyperfine times three builds of them:
# learn's lessons package loading and rendering them (bench/course load),
# `learn check DIR`, and hugo building the minimal site in bench/hugo,
# whose one layout prints the content. Prints the means and the ratios to
# hugo.
#
#	bench/content.sh           # 1,000 lessons, 10 runs each
#	bench/content.sh --smoke   # 50 lessons, 2 runs each
#
# learn renders into memory, while hugo also writes one HTML file per
# lesson; both highlight the code block with chroma.
source "$(dirname "$0")/lib.sh"
require_tools hugo hyperfine go

lessons=1000 runs=10
if [[ ${1:-} == --smoke ]]; then
	lessons=50 runs=2
fi

print_machine
echo "hugo: $(hugo version | cut -d' ' -f2)"
build_learn
(cd "$REPO_DIR" && go build -o "$WORK/course" ./bench/course)
"$WORK/course" gen -n "$lessons" "$WORK/course-dir"
echo "course: $lessons lessons, $(cat "$WORK"/course-dir/lessons/*.md | wc -c) bytes of Markdown"

hugo_build="hugo --quiet --source $BENCH_DIR/hugo --contentDir $WORK/course-dir/lessons --destination $WORK/hugo-out --cacheDir $WORK/hugo-cache"
# Each command must succeed once, and each tool must see every lesson.
"$WORK/course" load "$WORK/course-dir"
"$WORK/learn" check "$WORK/course-dir"
$hugo_build
echo "hugo wrote $(find "$WORK/hugo-out" -name index.html | wc -l) pages"

hyperfine --runs "$runs" --warmup 1 --export-csv "$WORK/content.csv" \
	--prepare "rm -rf $WORK/hugo-out" \
	-n "learn lessons.Load" "$WORK/course load $WORK/course-dir" \
	-n "learn check" "$WORK/learn check $WORK/course-dir" \
	-n "hugo" "$hugo_build"

# The ratio of each mean to hugo's: below 1 is faster than hugo. The CSV
# columns are command, mean, stddev, median, user, system, min, max.
awk -F, '
	NR > 1 { name[NR] = $1; mean[NR] = $2; sd[NR] = $3; if ($1 == "hugo") hugo = $2 }
	END { for (i = 2; i <= NR; i++) printf "%-20s mean %6.0f ms ± %4.0f ms, %.2f of hugo'"'"'s time\n", name[i], mean[i] * 1000, sd[i] * 1000, mean[i] / hugo }
' "$WORK/content.csv"
