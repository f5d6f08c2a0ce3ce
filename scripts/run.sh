#!/usr/bin/env bash
# `make run`: migrate, load the demo world, then serve the site and a task worker together.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

if ! "$PY" - "$HOST" "$PORT" <<'PYEOF'
import socket, sys
s = socket.socket()
try:
    s.bind((sys.argv[1], int(sys.argv[2])))
except OSError:
    sys.exit(1)
PYEOF
then
  NEXT=$((PORT + 1))
  echo "端口 ${PORT} 已被占用：可能已有一个 Manyi 在运行，或另一个程序占用了它。请先停止它，或运行 make run PORT=${NEXT}" >&2
  echo "Port ${PORT} is already in use. Stop the other server, or run: make run PORT=${NEXT}" >&2
  exit 1
fi

"$PY" manage.py migrate --noinput -v0
"$PY" manage.py compilemessages --ignore='.venv*' -v0
"$PY" manage.py load_demo

"$PY" manage.py qcluster >var/worker.log 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
echo
echo "任务队列已启动（日志：var/worker.log）。The task worker is running (log: var/worker.log)."
echo "打开 Open http://${HOST}:${PORT}/   ·   按 Ctrl+C 停止 Press Ctrl+C to stop."
echo
"$PY" manage.py runserver "${HOST}:${PORT}" --noreload
