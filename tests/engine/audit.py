"""A reader's attack on disclosure control, by linear algebra: which hidden cells can be
worked out exactly from everything shown. The tests use it to check that what naravard
publishes (the areas, the nation, the sexes, the groups of areas) gives no hidden cell away."""

from collections.abc import Iterable

import numpy as np
from scipy.linalg import null_space

from naravard.engine.disclosure import Key, Relation


def determined(rels: Iterable[Relation], hidden: Iterable[Key]) -> set[Key]:
    """The hidden cells a reader can work out exactly from the shown cells and the published
    sums: those whose unit vector lies in the row space of the relations among the hidden
    cells (each relation's shown cells are known, so it is one linear equation in the hidden
    ones). Solved per connected group of hidden cells, with the null space of its equations."""
    unknown = set(hidden)
    equations = [
        [(key, 1.0 if key == r.total else -1.0) for key in r.cells if key in unknown] for r in rels
    ]
    equations = [e for e in equations if e]
    parent = {key: key for key in unknown}

    def root(key: Key) -> Key:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for equation in equations:
        first = root(equation[0][0])
        for key, _sign in equation[1:]:
            parent[root(key)] = first
    components: dict[Key, list[list[tuple[Key, float]]]] = {}
    for equation in equations:
        components.setdefault(root(equation[0][0]), []).append(equation)
    found = set()
    for component in components.values():
        keys = sorted({key for equation in component for key, _sign in equation})
        column = {key: i for i, key in enumerate(keys)}
        matrix = np.zeros((len(component), len(keys)))
        for row, equation in enumerate(component):
            for key, sign in equation:
                matrix[row, column[key]] += sign
        free = null_space(matrix)  # the directions the hidden cells can move in unseen
        for key, i in column.items():
            if free.shape[1] == 0 or np.all(np.abs(free[i]) < 1e-9):
                found.add(key)
    return found
