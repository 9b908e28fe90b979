# Sourced by the run and test scripts: the project virtualenv and the AWS emulator (moto).
# Nothing here needs an AWS account; every address is on 127.0.0.1.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.venv"
STATE="$ROOT/.local"

# Creates .venv with the pinned requirements, once per change of infra/requirements.txt.
ensure_venv() {
  local stamp="$VENV/.requirements"
  if [ -x "$VENV/bin/python" ] && cmp -s "$ROOT/infra/requirements.txt" "$stamp"; then
    return
  fi
  echo "==> creating $VENV (moto, cfn-lint)" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/infra/requirements.txt"
  cp "$ROOT/infra/requirements.txt" "$stamp"
}

# Installs a script's extra pinned tools into .venv, once per change of its requirements
# file: ensure_venv_extras <name> <what>, reading infra/<name>-requirements.txt.
ensure_venv_extras() {
  local requirements="$ROOT/infra/$1-requirements.txt" stamp="$VENV/.$1-requirements"
  ensure_venv
  if ! cmp -s "$requirements" "$stamp"; then
    echo "==> installing $2 into $VENV" >&2
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$stamp"
  fi
}

# A free TCP port on 127.0.0.1.
free_port() {
  "$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Fails with a message naming the variable $2 that picks another port when something listens
# on 127.0.0.1:$1 ($3 says what it may be). A bind test, as the server will bind: with
# SO_REUSEADDR, so a closed connection's TIME_WAIT does not count.
require_free_port() {
  local port="$1" variable="$2" listener="$3" status=0
  if ! [[ "$port" =~ ^[0-9]+$ ]] || [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
    echo "error: $variable='$port' is not a TCP port (1-65535): set $variable to a free port" >&2
    return 1
  fi
  python3 - "$port" <<'EOF' || status=$?
import errno, socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError as e:
    if e.errno == errno.EADDRINUSE:
        sys.exit(3)
    print(f"error: cannot use port {sys.argv[1]}: {e.strerror}", file=sys.stderr)
    sys.exit(1)
EOF
  case "$status" in
    0) return 0 ;;
    3) echo "error: port $port is in use: $listener is listening there; set $variable to a free port" >&2 ;;
  esac
  return 1
}

# 0 when the emulator process $2 listens on 127.0.0.1:$1 and answers there; 1 while it does
# not yet; 2 when another process owns that port's listening socket (read from /proc where
# there is one, so the answer cannot come from someone else's server).
emulator_answers() {
  "$VENV/bin/python" - "$1" "$2" <<'EOF'
import os, sys, urllib.request
port, pid = int(sys.argv[1]), sys.argv[2]
inodes, have_proc = set(), False
for table in ("/proc/net/tcp", "/proc/net/tcp6"):
    try:
        with open(table) as f:
            have_proc = True
            for line in list(f)[1:]:
                fields = line.split()
                if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(f"socket:[{fields[9]}]")
    except OSError:
        pass
if have_proc:
    if not inodes:
        sys.exit(1)
    try:
        fds = {os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")}
    except OSError:
        sys.exit(1)
    if not inodes & fds:
        sys.exit(2)
try:
    urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=1)
except Exception:
    sys.exit(1)
EOF
}

# Starts moto on 127.0.0.1:$1 in the background; exports the variables the SDK reads. Refuses
# a port something listens on, appends to .local/emulator-$1.log (never truncating another
# run's log) and declares the emulator up only when the process it started answers.
start_emulator() {
  local port="$1" log status offset=1
  local listener="another emulator or program"
  require_free_port "$port" EMULATOR_PORT "$listener" || return 1
  mkdir -p "$STATE"
  log="$STATE/emulator-$port.log"
  if [ -f "$log" ]; then
    offset=$(($(wc -c <"$log") + 1))
  fi
  echo "==> $(date -u +%FT%TZ) emulator started by $0 (pid $$)" >>"$log"
  "$VENV/bin/python" "$ROOT/infra/scripts/emulator.py" -H 127.0.0.1 -p "$port" >>"$log" 2>&1 &
  EMULATOR_PID=$!
  export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
  for _ in $(seq 1 100); do
    if ! kill -0 "$EMULATOR_PID" 2>/dev/null; then
      tail -c "+$offset" "$log" >&2
      echo "error: the emulator did not start (its log: $log)" >&2
      EMULATOR_PID=
      return 1
    fi
    status=0
    emulator_answers "$port" "$EMULATOR_PID" || status=$?
    case "$status" in
      0)
        echo "==> AWS emulator on $AWS_ENDPOINT_URL (pid $EMULATOR_PID, log $log)" >&2
        return 0
        ;;
      2)
        stop_emulator
        echo "error: port $port is in use: $listener is listening there; set EMULATOR_PORT to a free port" >&2
        return 1
        ;;
    esac
    sleep 0.2
  done
  stop_emulator
  echo "error: the emulator did not answer on port $port (its log: $log)" >&2
  return 1
}

# Stops process $1 (a child of this shell): SIGTERM, then SIGKILL after $2 tenths of a second.
stop_process() {
  local pid="$1" tenths="$2"
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 "$tenths"); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

stop_emulator() {
  if [ -n "${EMULATOR_PID:-}" ]; then
    stop_process "$EMULATOR_PID" 20
    EMULATOR_PID=
  fi
}
