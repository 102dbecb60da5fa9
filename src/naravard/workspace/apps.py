"""Django app configuration of naravard.workspace."""

from django.apps import AppConfig


def change_since_previous(rnd):
    """A round's change since its previous round (analysis/round_change.py), imported when a
    page first asks, so that starting Django does not load statsmodels."""
    from naravard.analysis.round_change import change_since_previous as compute

    return compute(rnd)


class WorkspaceConfig(AppConfig):
    name = "naravard.workspace"
    label = "workspace"
    verbose_name = "Workspace"

    def ready(self):
        from naravard.collect import results

        # the analysts' follow-up page of a round (collect) shows beside each share its change
        # since the previous round, which analysis computes (see collect/results.py)
        results.show_change_with(change_since_previous)
