"""A Spark standalone cluster on this machine, on loopback only, from PySpark's own scripts.

The register engine runs on any master Spark accepts (engine/backends.py). This starts a
real standalone cluster, a master and its workers as separate JVMs started with the PySpark
distribution's ``bin/spark-class``, for the test that computes every register indicator on
a cluster, for the benchmark that measures the speed-up per core, and for trying a cluster
run on one machine before a real one. Everything binds to 127.0.0.1 (``SPARK_LOCAL_IP``),
never to another address; starting is bounded in time, and the processes are stopped when
the ``with`` block ends, however it ends.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from naravard.core.errors import Failed

LOOPBACK = "127.0.0.1"
START_SECONDS = 180.0  # for the master to listen and every worker to register with it
STOP_SECONDS = 30.0  # for a process to stop when asked, before it is killed
WORKER_MEMORY = "2g"  # each worker's, enough for one executor of Spark's default 1 GB


class ClusterError(Failed):
    """The cluster did not start; the message ends with the end of its logs."""


@dataclass
class Cluster:
    """A running local cluster: its master's URL (for ``--spark-master``), its web UI's
    address (whose ``/json/`` says which workers are alive) and its processes."""

    master: str
    ui: str
    logs: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

    def state(self) -> dict:
        """What the master says of itself and its workers (its web UI's ``/json/``)."""
        with urllib.request.urlopen(f"{self.ui}/json/", timeout=5) as answer:  # noqa: S310 - loopback
            return json.load(answer)

    def alive_workers(self) -> int:
        return int(self.state().get("aliveworkers", 0))

    def stop(self) -> None:
        """Stop every process of the cluster (its JVMs and anything they started)."""
        for proc in reversed(self.processes):
            if proc.poll() is None:
                with suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        for proc in reversed(self.processes):
            try:
                proc.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def spark_home() -> Path:
    """The PySpark distribution: its ``bin/spark-class`` starts the cluster's JVMs."""
    import pyspark

    return Path(pyspark.__file__).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    try:
        socket.create_connection((LOOPBACK, port), timeout=1).close()
    except OSError:
        return False
    return True


def cluster_env(folder: Path) -> dict[str, str]:
    """The environment of the cluster's processes: loopback only, logs and work in ``folder``,
    executors running this Python."""
    return {
        **os.environ,
        "SPARK_HOME": str(spark_home()),
        "SPARK_LOCAL_IP": LOOPBACK,
        "SPARK_LOG_DIR": str(folder / "logs"),
        "SPARK_WORKER_DIR": str(folder / "work"),
        "PYSPARK_PYTHON": sys.executable,
    }


@contextmanager
def local_cluster(
    folder: Path,
    workers: int = 2,
    cores: int = 1,
    memory: str = WORKER_MEMORY,
    seconds: float = START_SECONDS,
) -> Iterator[Cluster]:
    """A master and ``workers`` workers of ``cores`` cores and ``memory`` each, logging into
    ``folder``, running for the ``with`` block. Raises :class:`ClusterError` when they do not
    start within ``seconds``."""
    (folder / "logs").mkdir(parents=True, exist_ok=True)
    env = cluster_env(folder)
    spark_class = str(spark_home() / "bin" / "spark-class")
    port, ui_port = _free_port(), _free_port()
    cluster = Cluster(f"spark://{LOOPBACK}:{port}", f"http://{LOOPBACK}:{ui_port}", folder / "logs")

    def start(name: str, *args: str) -> None:
        log = (cluster.logs / f"{name}.log").open("wb")
        cluster.processes.append(
            subprocess.Popen(
                [spark_class, *args],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group, stopped as one
            )
        )

    def wait_for(what: str, ready) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if any(proc.poll() is not None for proc in cluster.processes):
                break
            with suppress(OSError, ValueError):
                if ready():
                    return
            time.sleep(0.5)
        raise ClusterError(f"the local Spark cluster's {what} did not start:\n{_tail(cluster)}")

    try:
        start(
            "master",
            "org.apache.spark.deploy.master.Master",
            *("--host", LOOPBACK, "--port", str(port), "--webui-port", str(ui_port)),
        )
        wait_for("master", lambda: _listening(port) and _listening(ui_port))
        for i in range(workers):
            start(
                f"worker-{i + 1}",
                "org.apache.spark.deploy.worker.Worker",
                cluster.master,
                *("--host", LOOPBACK, "--webui-port", str(_free_port())),
                *("--cores", str(cores), "--memory", memory),
                *("--work-dir", str(folder / "work" / f"worker-{i + 1}")),
            )
        wait_for("workers", lambda: cluster.alive_workers() == workers)
        yield cluster
    finally:
        cluster.stop()


def _tail(cluster: Cluster, lines: int = 20) -> str:
    out = []
    for log in sorted(cluster.logs.glob("*.log")):
        text = log.read_text(errors="replace").splitlines()[-lines:]
        out.append(f"--- {log.name}\n" + "\n".join(text))
    return "\n".join(out)
