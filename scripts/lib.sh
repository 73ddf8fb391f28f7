# Set-up steps shared by scripts/run and scripts/test. Sourced, not run.
# Each step is idempotent and skips work already done (stamps in .setup-stamps/), so running a
# command a second time takes seconds. Needs: Debian (apt-get), root or sudo, Python >= 3.11.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
STAMPS="$ROOT/.setup-stamps"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
mkdir -p "$STAMPS"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    say "need root (or sudo) to run: $*"; return 1
  fi
}

# apt_install PKG... : installs the Debian packages that are not installed yet.
APT_UPDATED=""
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Installing Debian packages: ${missing[*]}"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# changed NAME FILE... : true when the files differ from the last successful step NAME.
changed() {
  local name="$1"; shift
  local sum; sum="$(cat "$@" | sha256sum | cut -d' ' -f1)"
  [ "$(cat "$STAMPS/$name" 2>/dev/null)" != "$sum" ] && { echo "$sum" > "$STAMPS/$name.new"; return 0; }
  return 1
}
done_step() { mv "$STAMPS/$1.new" "$STAMPS/$1"; }

setup_python() {  # setup_python REQUIREMENTS_FILE
  local req="$1"
  command -v python3 >/dev/null || apt_install python3
  python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    say "Python 3.11 or newer is needed (python3 is $(python3 --version))"; return 1; }
  if [ ! -x "$PY" ]; then
    say "Creating the virtual environment in .venv"
    python3 -m venv "$VENV" 2>/dev/null || { apt_install python3-venv; python3 -m venv "$VENV"; }
    rm -f "$STAMPS"/pip-*
  fi
  if changed "pip-$req" requirements.txt "$req"; then
    say "Installing Python packages from $req"
    "$PY" -m pip install -q --disable-pip-version-check -r "$req"
    done_step "pip-$req"
  fi
}

setup_frontend() {
  command -v npm >/dev/null || apt_install nodejs npm
  if [ ! -d node_modules/govuk-frontend ] || changed npm package-lock.json; then
    say "Installing GOV.UK Frontend (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
    [ -f "$STAMPS/npm.new" ] && done_step npm
  fi
  say "Building the stylesheet (GOV.UK Frontend with the portal's asset path)"
  npm run --silent build
}

# WeasyPrint (decision packs) needs Pango, and HarfBuzz's subsetter to embed fonts quickly (without
# it WeasyPrint falls back to fontTools, which is much slower); Liberation Sans stands in for Arial.
setup_pdf() {
  apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation fonts-dejavu-core
}

setup_django() {
  say "Applying database migrations"
  "$PY" manage.py migrate --noinput -v0
  "$PY" manage.py collectstatic --noinput -v0
}

# PostgreSQL and Redis for the tests and for running "the real thing". Started if not running.
ensure_postgres() {
  apt_install postgresql-client
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    apt_install postgresql postgresql-client
    say "Starting PostgreSQL"
    local version; version="$(ls /etc/postgresql | sort -V | tail -1)"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  # A role that may create the test databases. Created through the local socket as the
  # postgres superuser, which works with Debian's default peer authentication.
  if ! psql "postgres://kcc:kcc@127.0.0.1:5432/postgres" -tAc 'select 1' >/dev/null 2>&1; then
    say "Creating the PostgreSQL role kcc"
    as_root runuser -u postgres -- psql -q -c \
      "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='kcc') THEN CREATE ROLE kcc LOGIN CREATEDB PASSWORD 'kcc'; ELSE ALTER ROLE kcc LOGIN CREATEDB PASSWORD 'kcc'; END IF; END\$\$;"
  fi
  if ! psql "postgres://kcc:kcc@127.0.0.1:5432/kcc" -tAc 'select 1' >/dev/null 2>&1; then
    as_root runuser -u postgres -- createdb -O kcc kcc
  fi
}

ensure_redis() {
  # The binary is needed even when a Redis is already running: the outage test starts a
  # redis-server of its own on a free port (conftest.py, private_redis).
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null || apt_install redis-server
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    say "Starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
      --dir /tmp --logfile /tmp/kcc-redis.log
    for _ in $(seq 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.2; done
  fi
}
