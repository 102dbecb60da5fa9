"""How the register engine's time on Spark falls with cores: in the process and on a cluster.

    python bench/spark_scaling_bench.py                  # scale 0.1, one year (some minutes)
    python bench/spark_scaling_bench.py --scale 0.01     # a quick look

Runs the indicator set for one year of the synthetic register (bench/engine_bench.py's, kept
in ``--data-dir``) on Spark in four set-ups, each in its own process:

* ``local[1]`` and ``local[2]``: Spark inside the process on one and on two cores;
* a standalone cluster (engine/local_cluster.py: a master and workers started from PySpark's
  own scripts, on loopback only) with one worker of one core, and with two workers of one
  core each.

Each runs every indicator once to warm up, then ``--passes`` times; the median per indicator
is summed. Prints the seconds, the speed-up of two cores over one (in the process and on the
cluster), the cluster's cost against Spark in the process on as many cores, and the seconds
per million register rows: the figures the README's estimate for a ten-year national run is
worked out from. This machine has two cores, and on the cluster the driver (this process)
and the master share them with the workers, so two one-core workers show the least speed-up
a second core gives, not the most. Nothing here asserts a goal.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from engine_bench import ensure_register, peak_rss_mb  # noqa: E402  (the bench next door)

SETUPS = {  # name: (Spark master or None for a cluster, cluster workers, cores per worker)
    "local[1]": ("local[1]", 0, 0),
    "local[2]": ("local[2]", 0, 0),
    "cluster 1 × 1 core": (None, 1, 1),
    "cluster 2 × 1 core": (None, 2, 1),
}
YEAR = 2021
PASSES = 3


def run_setup(setup: str, root: Path, passes: int) -> dict:
    """The indicator set on one set-up: each indicator's median seconds, and the executors."""
    from naravard.engine.backends import Session, spark_session, stop_spark
    from naravard.engine.indicators import DEFINITIONS
    from naravard.engine.local_cluster import LOOPBACK, local_cluster

    master, workers, cores = SETUPS[setup]

    def measure(master: str) -> dict:
        session = Session(root, "spark", master)
        times: dict[str, list[float]] = {d.indicator_id: [] for d in DEFINITIONS}
        for repeat in range(1 + passes):
            for d in DEFINITIONS:
                start = time.perf_counter()
                session.run(d, [YEAR])
                if repeat:
                    times[d.indicator_id].append(time.perf_counter() - start)
        context = spark_session(master).sparkContext
        return {
            "times": {name: statistics.median(t) for name, t in times.items()},
            "executors": max(1, context._jsc.sc().getExecutorMemoryStatus().size() - 1),
            "parallelism": context.defaultParallelism,
        }

    try:
        if master:
            return measure(master)
        os.environ["SPARK_LOCAL_IP"] = LOOPBACK  # the driver on loopback, as the cluster
        with tempfile.TemporaryDirectory(prefix="naravard-cluster-") as folder:
            with local_cluster(Path(folder), workers=workers, cores=cores) as cluster:
                return measure(cluster.master)
    finally:
        stop_spark()


def measure_in_child(setup: str, root: Path, passes: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", setup, "--data", str(root)]
        + ["--passes", str(passes)],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "naravard.test_settings"},
    )
    if out.returncode != 0:
        sys.exit(f"error: {setup} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--passes", type=int, default=PASSES)
    parser.add_argument("--data-dir", default="/tmp/naravard-bench")
    parser.add_argument("--child", choices=sorted(SETUPS))
    parser.add_argument("--data")
    args = parser.parse_args()
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naravard.test_settings")
    django.setup()
    if args.child:
        result = run_setup(args.child, Path(args.data), args.passes)
        print(json.dumps({**result, "peak_mb": peak_rss_mb()}))
        return
    root, _seconds, rows = ensure_register(Path(args.data_dir), args.scale, (YEAR - 1, YEAR))
    runs = {setup: measure_in_child(setup, root, args.passes) for setup in SETUPS}
    totals = {setup: sum(r["times"].values()) for setup, r in runs.items()}
    print(f"\n== Spark, scale {args.scale:g}, {YEAR}: {rows:,} register rows ==")
    names = list(next(iter(runs.values()))["times"])
    print(f"{'indicator':<38}" + "".join(f"{s:>21}" for s in SETUPS) + "   (seconds)")
    for name in names:
        print(f"{name:<38}" + "".join(f"{runs[s]['times'][name]:>21.2f}" for s in SETUPS))
    print(f"{'all indicators':<38}" + "".join(f"{totals[s]:>21.2f}" for s in SETUPS))
    print(
        "executors × parallelism: "
        + ", ".join(f"{s} {r['executors']} × {r['parallelism']}" for s, r in runs.items())
    )
    one, two = totals["local[1]"], totals["local[2]"]
    c_one, c_two = totals["cluster 1 × 1 core"], totals["cluster 2 × 1 core"]
    print(
        f"two cores against one: in the process {one / two:.2f}×, on the cluster {c_one / c_two:.2f}×"
    )
    print(
        f"the cluster against the process: one core {c_one / one:.2f}×, two cores {c_two / two:.2f}×"
    )
    for setup, total in totals.items():
        print(f"{setup}: {total / rows * 1e6:.3f} s per million rows")


if __name__ == "__main__":
    main()
