#!/usr/bin/env bash
# Memory benchmark (issue 15): peak RSS, measured with GNU time, of
# wincompat on inputs whose size is the number of failures, each with the
# occurrence count the report must give. Never run by CI (the test suite
# runs tests/memory.rs, an allocation counter on smaller inputs).
#
#   bash bench/memory.sh              # 1,000,000 failure lines and the bombs
#   LINES=100000 bash bench/memory.sh # a quicker run
#
# Cases:
#   same      LINES identical failure lines (one container id)
#   distinct  LINES failure lines, each with its own random container id
#   gzbomb    about 1 MB of gzip that decompresses to 1.25 GiB of log, every
#             tenth line a failure, past the 1 GiB archive cap (read up to it;
#             dense failure text parses at a few MB/s, too slow to bench here)
#   zipmember a zip whose one member is 1.2 GB of log, a failure every
#             1,000 lines (read up to the 1 GiB archive cap)
#
# Needs GNU time and python3 (installed with apt-get when missing and run
# as root). Data goes to target/bench-data/memory (or $BENCH_DIR), reused.
set -euo pipefail
cd "$(dirname "$0")/.."

LINES="${LINES:-1000000}"
LIMIT_MIB="${LIMIT_MIB:-64}"
DATA="${BENCH_DIR:-target/bench-data}/memory"
TARGET="${CARGO_TARGET_DIR:-target}"
BIN="$TARGET/release/wincompat"
CASES=("$@")
[ ${#CASES[@]} -gt 0 ] || CASES=(same distinct gzbomb zipmember)

need=()
[ -x /usr/bin/time ] || need+=(time)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
    else
        echo "bench: please install: ${need[*]}" >&2
        exit 2
    fi
fi

echo "== building (release)"
cargo build --release --quiet --bin wincompat
mkdir -p "$DATA"

# gen.py CASE OUT LINES: writes the input, prints the failure count expected.
cat >"$DATA/gen.py" <<'EOF'
import gzip, random, sys, zipfile
case, out, lines = sys.argv[1], sys.argv[2], int(sys.argv[3])
rnd = random.Random(15)
FAIL = ('time="2024-02-12T14:{m:02d}:{s:02d}.017355400+01:00" level=error '
        'msg="Handler for POST /v1.39/containers/{id}/start returned error: container {id} '
        'encountered an error during CreateContainer: failure in a Windows system call: '
        'The operating system of the container does not match the operating system of the '
        'host. (0xc0370101)"\n')
NOISE = ('time="2024-02-12T14:31:06.017355400+01:00" level=info msg="Container {id} '
         'health check passed" module=daemon\n')
def cid():
    return '%064x' % rnd.getrandbits(256)
def fail(i, same):
    return FAIL.format(m=(i // 60) % 60, s=i % 60,
                       id='5c3e9a1f7b20d4c6e8a0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4' if same else cid())
if case in ('same', 'distinct'):
    with open(out, 'w') as f:
        for i in range(lines):
            f.write(fail(i, case == 'same'))
    print(lines)
elif case == 'gzbomb':
    # One block of log lines (smaller than deflate's 32 KiB window, so it
    # compresses about 1,000:1), every tenth a failure, written over and
    # over: 1.25 GiB decompressed; the archive cap reads 1 GiB of it (the
    # count is of the failure lines wholly inside it).
    lines = [fail(i, True) if i % 10 == 9 else NOISE.format(id=cid()) for i in range(60)]
    block = ''.join(lines).encode()
    ends, at = [], 0
    for i, l in enumerate(lines):
        at += len(l.encode())
        if i % 10 == 9:
            ends.append(at)
    total, count, cap = 0, 0, 2**30
    with gzip.open(out, 'wb', compresslevel=6) as f:
        while total < 1.25 * 2**30:
            f.write(block)
            count += sum(1 for e in ends if total + e <= cap)
            total += len(block)
    print(count)
elif case == 'zipmember':
    # 1.2 GB: noise, a failure every 1,000 lines; read up to the 1 GiB cap.
    block = ''.join(NOISE.format(id=cid()) for _ in range(999)).encode()
    count, size, cap, n = 0, 0, 2**30, 0
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        with z.open('node-logs/dockerd.log', 'w', force_zip64=True) as f:
            while size < 1.2e9:
                line = fail(n, False).encode()
                f.write(block)
                f.write(line)
                if size + len(block) + len(line) <= cap:
                    count += 1
                size += len(block) + len(line)
                n += 1
    print(count)
EOF

fail=0
printf '%-10s %14s %12s %14s %10s %8s\n' case input expected occurrences "peak RSS" time
for c in "${CASES[@]}"; do
    case "$c" in
        same | distinct) in="$DATA/$c-$LINES.log" ;;
        gzbomb) in="$DATA/bomb.log.gz" ;;
        zipmember) in="$DATA/member-1.2G.zip" ;;
        *) echo "unknown case $c" >&2; exit 2 ;;
    esac
    if [ ! -e "$in" ] || [ ! -e "$in.expected" ]; then
        python3 "$DATA/gen.py" "$c" "$in" "$LINES" >"$in.expected"
    fi
    want=$(cat "$in.expected")
    /usr/bin/time -f '%M %e' -o "$DATA/$c.time" "$BIN" --exit-zero --format json "$in" \
        >"$DATA/$c.json" 2>"$DATA/$c.stderr" || true
    read -r kb secs < <(tail -n 1 "$DATA/$c.time")
    got=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["occurrences"])' "$DATA/$c.json")
    printf '%-10s %14s %12s %14s %7s MiB %7ss\n' "$c" "$(du -h "$in" | cut -f1)" "$want" "$got" "$((kb / 1024))" "$secs"
    if [ "$got" != "$want" ] || [ $((kb / 1024)) -gt "$LIMIT_MIB" ]; then
        echo "   FAIL: want $want occurrences and at most $LIMIT_MIB MiB" >&2
        fail=1
    fi
    sed 's/^/   stderr: /' "$DATA/$c.stderr" | head -n 5
done
exit $fail
