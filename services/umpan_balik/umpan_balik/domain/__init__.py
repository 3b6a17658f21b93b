"""Pure domain of Umpan Balik (SRC-BUKTI-KARYA, requirements U1-U5, K8).

No I/O and no Google imports here: pydantic models, rules and the reading of
this package's own data files (questionnaires, moderation lexicon), unit-tested
directly (tests/unit/umpan_balik).

- kuesioner   versioned questionnaire templates per karya category (U2)
- validasi    a submitted feedback checked against its version (U1)
- moderasi    SARA / hate-speech refusal before storage (U3)
- analisa     per-question percentages and the SVG pie chart (U5)
- penghitung  sharded answer counters: shard choice, merge, recount (U5)
- notifikasi  the owner's notifications, unread blue dots, order (U4)
"""
