#!/usr/bin/env bash
# Instructions per operation of every case through every path, counted with
# callgrind: a figure the machine's noise hardly moves, beside run.sh's times.
# For each case and path it counts the instructions of the whole process
# running K and then 2K operations (K: about 20 ms of the case's time in
# round 1); the difference over K is one operation's count, everything the
# process does besides the operations (start-up, the checks, the benchmark
# framework) cancelling out. A second count of K operations measures how
# far identical processes differ. Go runs with GOGC=off, GOMAXPROCS=1
# and asynchronous preemption off (callgrind aborts on its signals), so no
# collection and no preemption lands in the difference; sysmon still wakes
# by wall time, which the repeat measures. Writes RAW/instructions.tsv: case, path, K, count for K,
# count for 2K, count for K again.
#
#   instructions.sh RAW [CASE_REGEX]
#
# RAW holds run.sh's bench-1.txt and cloop-1.txt; out/suite.test (linked
# without DWARF, which valgrind 3.19 cannot read from Go binaries),
# out/cloop and out/data must exist. CASE_REGEX (awk) limits the cases.
set -euo pipefail
wl=$(cd "$(dirname "$0")" && pwd)
raw=$1 only=${2:-.}
command -v valgrind >/dev/null || { echo "instructions.sh: valgrind must be on PATH" >&2; exit 1; }

# count WANT ARGV...: the instructions callgrind counted in the whole
# process; WANT, when not empty, must start a line of its output (the
# benchmark ran: a pattern that matches nothing would count start-up alone).
count() {
  local want=$1 log
  shift
  log=$(mktemp)
  if ! GOGC=off GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 WL_DATA=$wl/out/data \
    valgrind --tool=callgrind --callgrind-out-file=/dev/null --log-file="$log" "$@" >"$log.out"; then
    echo "instructions.sh: failed under callgrind: $*" >&2
    cat "$log" "$log.out" >&2
    rm -f "$log" "$log.out"
    return 1
  fi
  if [ -n "$want" ] && ! grep -q "^$want" "$log.out"; then
    echo "instructions.sh: no $want line from $*" >&2
    rm -f "$log" "$log.out"
    return 1
  fi
  awk '/Collected :/ {gsub(",", "", $4); print $4}' "$log"
  rm -f "$log" "$log.out"
}
# job CASE PATH K: one line of instructions.tsv.
job() {
  local c=$1 p=$2 k=$3 a b a2
  if [ "$p" = cloop ]; then
    # Its own data directory: the C loop writes its SQLite database there.
    local data
    data=$(mktemp -d)
    ln -s "$wl/out/data/text.bin" "$data/"
    a=$(count "" "$wl/out/cloop" "$data" "ops=$k" "$c") &&
      b=$(count "" "$wl/out/cloop" "$data" "ops=$((2 * k))" "$c") &&
      a2=$(count "" "$wl/out/cloop" "$data" "ops=$k" "$c") || { rm -rf "$data"; return 1; }
    rm -rf "$data"
  else
    # go test matches the pattern per /-separated level, the first against
    # BenchmarkW: anchor each. The names hold no metacharacters but dots,
    # which match themselves too.
    local pat="^BenchmarkW\$" e
    IFS=/ read -ra elems <<<"$c/$p"
    for e in "${elems[@]}"; do pat+="/^$e\$"; done
    local run=(../out/suite.test -test.run '^$' -test.bench "$pat" -test.benchtime)
    a=$(cd "$wl/suite" && count "BenchmarkW/$c/$p" "${run[@]}" "${k}x") &&
      b=$(cd "$wl/suite" && count "BenchmarkW/$c/$p" "${run[@]}" "$((2 * k))x") &&
      a2=$(cd "$wl/suite" && count "BenchmarkW/$c/$p" "${run[@]}" "${k}x") || return 1
  fi
  [ -n "$a" ] && [ -n "$b" ] && [ -n "$a2" ] && [ "$b" -gt "$a" ] ||
    { echo "instructions.sh: $c/$p: no sensible counts ('$a' and '$a2' for $k, '$b' for $((2 * k)))" >&2; return 1; }
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$c" "$p" "$k" "$a" "$b" "$a2"
}
export -f count job
export wl

# One job per case and path of round 1, K from its time; two at a time
# (the load moves only sysmon's share of the Go counts). The names hold no
# spaces.
awk -v only="$only" '/^BenchmarkW\// && $4 == "ns/op" {
    name = $1; sub(/^BenchmarkW\//, "", name); sub(/-[0-9]+$/, "", name)
    i = match(name, /\/[^\/]*$/); c = substr(name, 1, i - 1); p = substr(name, i + 1)
    if (c !~ only) next
    k = int(2e7 / $3); if (k < 1) k = 1
    print c, p, k
  }' "$raw/bench-1.txt" "$raw/cloop-1.txt" |
  xargs -n 3 -P 2 bash -c 'job "$0" "$1" "$2"' >"$raw/instructions.tsv.tmp"
sort -o "$raw/instructions.tsv.tmp" "$raw/instructions.tsv.tmp"
mv "$raw/instructions.tsv.tmp" "$raw/instructions.tsv"
echo "instructions.sh: $(wc -l <"$raw/instructions.tsv") counts in $raw/instructions.tsv"
