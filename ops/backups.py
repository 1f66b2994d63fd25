"""Backups of the database and the private files (attachments, meeting documents) together.

A backup is a folder: `database.dump` (PostgreSQL's custom format from pg_dump, or a copy of
the SQLite file) and `private-files.tar.gz`. Restoring replaces both."""

import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connections

from files.storage import private_storage

DATABASE_FILE = "database.dump"
FILES_ARCHIVE = "private-files.tar.gz"


def _database():
    return connections["default"].settings_dict


def _libpq_environment() -> dict:
    """Where pg_dump and pg_restore connect: libpq's variables, so no password is on a command
    line that `ps` shows."""
    database = _database()
    values = {
        "PGDATABASE": database["NAME"],
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGHOST": database.get("HOST"),
        "PGPORT": str(database.get("PORT") or ""),
    }
    return {**os.environ, **{key: value for key, value in values.items() if value}}


def _is_postgresql() -> bool:
    return connections["default"].vendor == "postgresql"


def _private_root() -> Path:
    return Path(private_storage().location)


def backup(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=False)
    dump = folder / DATABASE_FILE
    if _is_postgresql():
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"],
            env=_libpq_environment(),
            check=True,
        )
    else:
        with sqlite3.connect(_database()["NAME"]) as source, sqlite3.connect(dump) as copy:
            source.backup(copy)
    archive = folder / FILES_ARCHIVE
    with tarfile.open(archive, "w:gz") as tar:
        root = _private_root()
        if root.exists():
            tar.add(root, arcname=".")
    return [dump, archive]


def restore(folder: Path) -> None:
    """Replaces the database's content and the private files with the backup's."""
    dump = folder / DATABASE_FILE
    if not dump.exists():
        raise FileNotFoundError(dump)
    connections["default"].close()
    if _is_postgresql():
        subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                f"--dbname={_database()['NAME']}",
                str(dump),
            ],
            env=_libpq_environment(),
            check=True,
        )
    else:
        with sqlite3.connect(dump) as source, sqlite3.connect(_database()["NAME"]) as target:
            source.backup(target)
    archive = folder / FILES_ARCHIVE
    if archive.exists():
        root = _private_root()
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(root, filter="data")


def default_folder() -> Path:
    from django.utils import timezone

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"roundtable-{stamp}"
