"""Pure domain of Umpan Balik (seed 000, requirements U1-U5, K8).

No I/O and no Google imports here: pydantic models, rules and the reading of
this package's own data files (questionnaires, moderation lexicon), unit-tested
directly (tests/unit/umpan_balik).
"""
