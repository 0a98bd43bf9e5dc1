"""Where the engine's partitioned passes run: in this process, in forked processes, or on Dask.

An executor maps one function over a list of argument tuples (one tuple per
partition).  ``submit`` returns handles; ``gather`` turns them into values.
Handles may be passed as arguments to later ``submit`` calls: on Dask they are
futures, so a partition's intermediate result stays on the worker that made it.

Dask (``distributed``) is an optional dependency (the ``dask`` extra) and is
imported only when a Dask executor is asked for.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any


def available_cores() -> int:
    """Cores this process may run on (the affinity mask, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@functools.cache
def _numpy_blas() -> tuple[Callable[[int], None], Callable[[], int]] | None:
    """numpy's bundled OpenBLAS (scipy-openblas) thread setters, or None elsewhere."""
    import ctypes
    import glob

    import numpy

    libs = glob.glob(os.path.join(os.path.dirname(numpy.__file__), os.pardir, "numpy.libs", "libscipy_openblas*"))
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
            setter = lib.scipy_openblas_set_num_threads64_
            getter = lib.scipy_openblas_get_num_threads64_
        except (OSError, AttributeError):
            continue
        setter.argtypes, setter.restype = [ctypes.c_int], None
        getter.argtypes, getter.restype = [], ctypes.c_int
        return setter, getter
    return None


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the engine's small matrix products on one BLAS thread.

    They are thousands of (2,048 x 9) by (9 x 2,000) products: OpenBLAS's
    threads gain nothing on them, and on a shared or partitioned machine
    (one engine process per core) they spin and cost 2-3x the CPU time.
    Parallelism comes from partitions instead (``Processes``, Dask).
    """
    blas = _numpy_blas()
    if blas is None:  # pragma: no cover - numpy built against another BLAS
        yield
        return
    setter, getter = blas
    before = getter()
    setter(1)
    try:
        yield
    finally:
        setter(before)


def single_blas_thread(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Decorator form of ``one_blas_thread`` for partition tasks (Dask workers too)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with one_blas_thread():
            return fn(*args, **kwargs)

    return wrapper


class Serial:
    """Everything in this process."""

    workers = 1
    name = "serial"
    #: Sets smaller than this are not worth partitioning.
    min_partitioned = 20_000

    def partitions(self, n: int) -> int:
        return 1

    def submit(self, fn: Callable[..., Any], argsets: Sequence[tuple[Any, ...]]) -> list[Any]:
        return [fn(*args) for args in argsets]

    def gather(self, handles: list[Any]) -> list[Any]:
        return handles

    def scatter(self, value: Any) -> Any:
        return value

    def close(self) -> None:
        pass


class Processes(Serial):
    """Forked worker processes on this machine (``workers`` of them)."""

    name = "processes"
    #: The frontier stages (a few thousand DMUs) are worth both cores too: the
    #: pool is already there for the full passes, and forking costs milliseconds.
    min_partitioned = 4_000

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: Any = None

    def partitions(self, n: int) -> int:
        return self.workers

    def submit(self, fn: Callable[..., Any], argsets: Sequence[tuple[Any, ...]]) -> list[Any]:
        if len(argsets) <= 1:
            return [fn(*args) for args in argsets]
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=multiprocessing.get_context("fork")
            )
        futures = [self._pool.submit(fn, *args) for args in argsets]
        return [f.result() for f in futures]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


class DaskExecutor(Serial):
    """Partitions as tasks on a Dask cluster (``distributed``).

    ``address`` is a scheduler address (``tcp://host:8786``), ``"local"`` for a
    LocalCluster on this machine (one single-threaded worker process per core),
    or an existing ``distributed.Client``.
    """

    name = "dask"
    min_partitioned = 2_000

    def __init__(self, address: Any, *, processes: bool = True) -> None:
        from .errors import AnalyticsInputError

        try:
            from distributed import Client, LocalCluster
        except ImportError:  # pragma: no cover - depends on the install
            raise AnalyticsInputError(
                "未安装 Dask：pip install 'dangjian[dask]'",
                "Dask is not installed: pip install 'dangjian[dask]' (dask and distributed)",
            ) from None
        self._own: list[Any] = []
        if isinstance(address, Client):
            self.client = address
        elif address == "local":
            cluster = LocalCluster(
                n_workers=available_cores(), threads_per_worker=1, processes=processes,
                dashboard_address=None,
            )
            self.client = Client(cluster)
            self._own = [self.client, cluster]
        else:
            try:
                self.client = Client(address, timeout="10s")
            except (OSError, TimeoutError, ValueError) as exc:
                raise AnalyticsInputError(
                    f"无法连接 Dask 集群 {address}：{exc}",
                    f"cannot reach the Dask scheduler at {address}: {exc}",
                ) from None
            self._own = [self.client]
        info = self.client.scheduler_info()
        self.workers = max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))

    def partitions(self, n: int) -> int:
        # At least one partition per worker thread, a few when n is large so
        # that every worker stays busy to the end; at most ~100,000 DMUs each.
        return max(self.workers, min(4 * self.workers, -(-n // 20_000)), -(-n // 100_000))

    def submit(self, fn: Callable[..., Any], argsets: Sequence[tuple[Any, ...]]) -> list[Any]:
        return [self.client.submit(fn, *args, pure=False) for args in argsets]

    def scatter(self, value: Any) -> Any:
        """Send a value once; tasks that get the handle receive the value."""
        return self.client.scatter(value)

    def gather(self, handles: list[Any]) -> list[Any]:
        return self.client.gather(handles)

    def close(self) -> None:
        for item in self._own:
            item.close()
        self._own = []


def make_executor(*, workers: int = 1, dask: Any = None) -> Serial:
    if dask is not None:
        return DaskExecutor(dask)
    if workers > 1:
        return Processes(workers)
    return Serial()
