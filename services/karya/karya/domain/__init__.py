"""Pure domain of Bukti Karya (SRC-BUKTI-KARYA, requirements K1-K8).

No I/O and no Google imports here: pydantic models, rules and reference
tables only, unit-tested directly (tests/unit/karya).
"""
