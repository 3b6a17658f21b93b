"""The send rate to e-Kinerja, as e-Kinerja sees it (sliding-window log).

`PembatasLaju.giliran()` wraps every HTTP attempt (retries included). It admits an attempt
at time t only while fewer than `batas` attempts are *in the window*: still in flight, or
finished less than `jendela` (1 s) before t. Then no sliding second of arrivals at e-Kinerja
holds more than `batas`, however late a thread is between admission and its request:

    take any 1 s window of arrivals and j, the attempt in it admitted last (at t_j, arriving
    a_j ≥ t_j, a_j < w + 1). Every other attempt i in it arrived at a_i ≥ w > a_j − 1 ≥ t_j − 1,
    and finished at e_i ≥ a_i (e-Kinerja had it before we had its answer), so at t_j it was
    in flight or had finished after t_j − 1: it was counted. j was admitted with < batas
    counted, so the window holds ≤ batas.

The price: an attempt occupies its place for its latency + 1 s, so a process sends at most
batas / (1 + latency) per second (38/s at batas 40 and 50 ms). In-flight attempts are also
capped (`maks_jalan`, the chunk's parallelism), so a burst cannot pile up.

The log is per process. Several processes sending at once each get a share:
`batas_proses(laju, pengirim)` = floor(laju / pengirim), where `pengirim` is the most
processes that can run batch chunks at the same time (max instances of the chunk consumer
× gunicorn workers; `PMM_SINKRO_PENGIRIM_MAKS`). Shares add up to at most the limit.
"""
from __future__ import annotations

import math
import threading
import time
from collections import deque
from contextlib import contextmanager
from typing import Callable, Iterator


def batas_proses(laju: float, pengirim: int) -> int:
    """This process's share of the global limit (at least 1 per second)."""
    return max(1, math.floor(laju / max(1, pengirim)))


class PembatasLaju:
    """Sliding-window log of send attempts of one process (thread-safe)."""

    def __init__(self, batas: int, *, jendela: float = 1.0, maks_jalan: int | None = None,
                 jam: Callable[[], float] = time.monotonic) -> None:
        if batas < 1:
            raise ValueError("batas harus >= 1")
        self.batas, self.jendela = batas, jendela
        self.maks_jalan = min(batas, maks_jalan or batas)
        self._jam = jam
        self._selesai: deque[float] = deque()   # finish times, ascending (appended under the lock)
        self._jalan = 0
        self._cond = threading.Condition()
        self.mulai: deque[float] = deque(maxlen=100_000)  # admission times (figures, tests)

    def _buang_lama(self, sekarang: float) -> None:
        while self._selesai and self._selesai[0] <= sekarang - self.jendela:
            self._selesai.popleft()

    def dalam_jendela(self) -> int:
        with self._cond:
            self._buang_lama(self._jam())
            return self._jalan + len(self._selesai)

    @contextmanager
    def giliran(self) -> Iterator[float]:
        """Wait for a place, hold it during the attempt; yields the admission time."""
        with self._cond:
            while True:
                sekarang = self._jam()
                self._buang_lama(sekarang)
                if self._jalan + len(self._selesai) < self.batas and self._jalan < self.maks_jalan:
                    break
                # the oldest finished attempt leaves the window at selesai[0] + jendela; a finish notifies
                tunggu = self._selesai[0] + self.jendela - sekarang if self._selesai else None
                self._cond.wait(None if tunggu is None else max(tunggu, 0.001))
            self._jalan += 1
            self.mulai.append(sekarang)
        try:
            yield sekarang
        finally:
            with self._cond:
                self._jalan -= 1
                self._selesai.append(self._jam())
                self._cond.notify_all()
