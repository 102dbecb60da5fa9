"""Create or upgrade the database: Django migrations plus the reference data, with progress."""

from __future__ import annotations

from collections.abc import Callable

from django.core.management import call_command
from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

Advance = Callable[[str], None]


def pending_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _backwards in plan]


class _ProgressMigrate(MigrateCommand):
    """Django's migrate, reporting each applied migration to a callback."""

    def __init__(self, advance: Advance):
        super().__init__()
        self._advance = advance

    def migration_progress_callback(self, action, migration=None, fake=False):
        if action == "apply_success":
            self._advance(f"{migration.app_label}.{migration.name}")


def migrate(advance: Advance | None = None) -> str:
    """Apply pending migrations, then make sure the reference data is current.

    Returns a one-line summary of what changed in the reference data.
    """
    from naravard.refdata.models import Municipality, Population, Region
    from naravard.refdata.sync import sync_reference_data

    call_command(_ProgressMigrate(advance or (lambda name: None)), verbosity=0, interactive=False)
    report = sync_reference_data(Region, Municipality, Population)
    return report.summary()
