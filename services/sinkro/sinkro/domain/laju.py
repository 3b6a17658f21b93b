"""A global send rate for the batch, honoured however many chunk consumers run at once.

Every chunk consumer reserves a block of send slots from one shared schedule
(`pesan_blok`, a Firestore transaction on one document: one write per block,
not per send), then starts each send no earlier than its slot. Slots are 1/R
apart across the whole schedule, so sends start at most R per second in
total. A slot missed by more than `toleransi` (the worker was busy) is
dropped rather than used late (default 20 ms), so late sends cannot bunch up; unused slots
only lower throughput. The number of slots per block bounds the waste.
"""
from __future__ import annotations

import threading
import time
from collections import deque
from typing import Callable


def pesan(berikutnya_tersimpan: float | None, sekarang: float, jumlah: int, laju: float) -> tuple[float, float]:
    """Reserve `jumlah` slots: (start of the block, the schedule's next free time)."""
    mulai = max(sekarang, berikutnya_tersimpan or 0.0)
    return mulai, mulai + jumlah / laju


def ukuran_blok(laju: float, detik: float = 0.5, maks: int = 100) -> int:
    """Slots per reservation: about half a second of sending, at least one."""
    return max(1, min(maks, int(laju * detik)))


class PenjatahLaju:
    """Hands out send slots to the threads of one chunk consumer."""

    def __init__(self, pesan_blok: Callable[[int], float], laju: float, *, blok: int | None = None,
                 toleransi: float = 0.02, jam: Callable[[], float] = time.time,
                 tidur: Callable[[float], None] = time.sleep) -> None:
        if laju <= 0:
            raise ValueError("laju harus > 0")
        self._pesan_blok = pesan_blok
        self._laju = laju
        self._blok = blok or ukuran_blok(laju)
        self._toleransi = toleransi
        self._jam = jam
        self._tidur = tidur
        self._slot: deque[float] = deque()
        self._kunci = threading.Lock()
        self.dibuang = 0
        self.dipesan = 0

    def tunggu_giliran(self) -> float:
        """Block until this send may start; returns the slot time used."""
        with self._kunci:
            while True:
                sekarang = self._jam()
                while self._slot and self._slot[0] < sekarang - self._toleransi:
                    self._slot.popleft()
                    self.dibuang += 1
                if self._slot:
                    slot = self._slot.popleft()
                    break
                mulai = self._pesan_blok(self._blok)
                self.dipesan += self._blok
                self._slot.extend(mulai + i / self._laju for i in range(self._blok))
        jeda = slot - self._jam()
        if jeda > 0:
            self._tidur(jeda)
        return slot
