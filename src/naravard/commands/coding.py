"""Command-line verbs of the qualitative follow-up."""

from __future__ import annotations

import typer

from naravard.commands.common import err, setup_or_fail

coding_app = typer.Typer(
    help="Coding of free text: texts, suggestions, search index.", no_args_is_help=True
)


@coding_app.command("refresh")
def refresh_cmd() -> None:
    """Collect the long answers of every submitted response not yet collected (rounds
    submitted before coding existed), suggest codes of the current frame for sentences that
    have none, and rebuild the search index."""
    setup_or_fail()
    from django.db import transaction

    from naravard.collect.models import Round
    from naravard.qualitative import search, texts
    from naravard.qualitative.models import Segment

    with transaction.atomic():
        made = sum(texts.collect_round(rnd) for rnd in Round.objects.order_by("pk"))
        suggested = texts.suggest_for(list(Segment.objects.filter(text__replaced_at__isnull=True)))
        indexed = search.reindex()
    err.print(
        f"{made} new texts, {suggested} new suggestions, {indexed} sentences in the search index.",
        highlight=False,
    )
