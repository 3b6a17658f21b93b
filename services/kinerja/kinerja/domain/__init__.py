"""Pure domain of Pengelolaan Kinerja (P1-P15).

No I/O, no Google imports, no clock: every rule takes ``now``/``today`` as an
argument. Modules:

- ``referensi`` -- reference events from Dapodik / Verval PTK / Rapor Pendidikan,
  identifier validation (NIP, NPSN, NUPTK), newest-wins, resolving the atasan.
- ``katalog``   -- versioned catalogues (sub-indikator D1/D3 with rubric,
  pengembangan kompetensi, tugas tambahan, BerAKHLAK, materi PMM).
- ``siklus``    -- periods (``YYYY-1``/``YYYY-2``), stage windows, who is obliged,
  deterministic cycle ids.
- ``rencana``   -- the performance plan aggregate and its state machine.
- ``observasi``, ``penilaian`` -- observation and assessment (another author).
"""
