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

# A free TCP port on 127.0.0.1.
free_port() {
  "$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Starts moto on 127.0.0.1:$1 in the background; exports the variables the SDK reads.
start_emulator() {
  local port="$1"
  mkdir -p "$STATE"
  "$VENV/bin/python" "$ROOT/infra/scripts/emulator.py" -H 127.0.0.1 -p "$port" >"$STATE/emulator-$port.log" 2>&1 &
  EMULATOR_PID=$!
  export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
  for _ in $(seq 1 100); do
    if "$VENV/bin/python" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$AWS_ENDPOINT_URL/moto-api/" 2>/dev/null; then
      echo "==> AWS emulator on $AWS_ENDPOINT_URL (pid $EMULATOR_PID)" >&2
      return
    fi
    if ! kill -0 "$EMULATOR_PID" 2>/dev/null; then
      cat "$STATE/emulator-$port.log" >&2
      echo "the emulator did not start" >&2
      return 1
    fi
    sleep 0.2
  done
  echo "the emulator did not answer on port $port" >&2
  return 1
}

stop_emulator() {
  if [ -n "${EMULATOR_PID:-}" ]; then
    kill "$EMULATOR_PID" 2>/dev/null || true
    wait "$EMULATOR_PID" 2>/dev/null || true
    EMULATOR_PID=
  fi
}
