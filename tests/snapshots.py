"""Copies of the test database to put back later, in the way each database does it fastest.

The suite (`tests/conftest.py`) keeps a copy of the database as migrations left it and of each demo state it has
built, so the demo is built once per process, and what transactional tests (the browser tests among them) commit
can be undone.

- SQLite (the in-memory test database, shared with the live server's thread): the online backup API copies the
  whole database into a second in-memory database and back, in milliseconds.
- PostgreSQL: a template database. Restoring drops the test database (closing any connection the live server
  left open) and creates it again from the template.
"""

import sqlite3

from django.contrib.contenttypes.models import ContentType


class DatabaseStates:
    """The states the test database can be put in, each built once per process, then copied back in.

    "migrated" is the database as migrations left it (copied the first time any state is asked for, which must be
    while the database is still as migrated: ordinary tests roll back what they write). Every other state is built
    on a base state by a function (`builders`: name -> (base, build)) and copied once built.
    """

    def __init__(self, connection, builders):
        self.connection = connection
        self.builders = builders
        self.copies = {}
        self.current = "migrated"

    def use(self, state):
        """Put the database in `state`, unless it is known to be in it already."""
        if "migrated" not in self.copies:
            if self.current != "migrated":
                raise RuntimeError("the first copy must be taken while the database is as migrations left it")
            self.copies["migrated"] = take_snapshot(self.connection, "migrated")
        if state == self.current:
            return
        if state in self.copies:
            self.copies[state].restore()
        else:
            base, build = self.builders[state]
            self.use(base)
            build()
            self.copies[state] = take_snapshot(self.connection, state)
        self.current = state
        # Ids this process cached may belong to the database that was replaced.
        ContentType.objects.clear_cache()

    def copy_of(self, state):
        """The copy of `state`; one never built is built now (and the database left in it)."""
        if state not in self.copies:
            self.use(state)
        return self.copies[state]

    def changed(self):
        """Something committed writes (a transactional test): the database is in no known state any more."""
        self.current = None

    def drop(self):
        for copy in self.copies.values():
            copy.drop()


def take_snapshot(connection, label):
    """A copy of the database behind `connection` as it is now; `label` names it (one copy per label)."""
    if connection.vendor == "sqlite":
        return SQLiteSnapshot(connection)
    if connection.vendor == "postgresql":
        return PostgreSQLSnapshot(connection, label)
    raise NotImplementedError(f"no snapshot for {connection.vendor} databases")  # pragma: no cover


class SQLiteSnapshot:
    def __init__(self, connection):
        if not connection.is_in_memory_db():
            raise RuntimeError("the tests expect SQLite's in-memory test database (shared with the live server)")
        self.connection = connection
        connection.ensure_connection()
        self.copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(self.copy)

    def restore(self):
        self.connection.ensure_connection()
        self.copy.backup(self.connection.connection)

    def write_to(self, path):
        """Write the copy to a database file of its own (for a child process to use)."""
        target = sqlite3.connect(path)
        try:
            self.copy.backup(target)
        finally:
            target.close()

    def drop(self):
        self.copy.close()


class PostgreSQLSnapshot:
    def __init__(self, connection, label):
        self.connection = connection
        self.name = connection.settings_dict["NAME"]
        if not self.name.startswith("test_"):
            raise RuntimeError(f"{self.name} is not a test database: nothing here may drop it")
        self.template = f"{self.name}_{label}"
        self._run(
            f'DROP DATABASE IF EXISTS "{self.template}"', f'CREATE DATABASE "{self.template}" TEMPLATE "{self.name}"'
        )

    def restore(self):
        self._run(
            f'DROP DATABASE "{self.name}" WITH (FORCE)', f'CREATE DATABASE "{self.name}" TEMPLATE "{self.template}"'
        )

    def drop(self):
        self._run(f'DROP DATABASE IF EXISTS "{self.template}"')

    def write_to(self, name):
        """Make a database of its own, `name`, from the copy (for a child process to use)."""
        with self.connection._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')

    def _run(self, *statements):
        # A database cannot be copied or dropped while anyone is connected to it: this process's connection is
        # closed (Django opens it again on the next query), any other is ended by the server.
        self.connection.close()
        with self.connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [self.name],
            )
            for statement in statements:
                cursor.execute(statement)
