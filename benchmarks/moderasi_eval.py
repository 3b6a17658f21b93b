"""Measure the feedback moderation (U3) on its labelled evaluation set.

Run from the repository root:

    .venv/bin/python benchmarks/moderasi_eval.py [--tampilkan-teks]

Prints precision, recall, false-positive rate and false-negative rate of
`periksa_teks` over services/umpan_balik/umpan_balik/data/moderasi_eval.jsonl
("melanggar" = positive), a breakdown per kind of line, and every
misclassified line (id and note; the text only with --tampilkan-teks).
Caveat: the set was written by the same team as the lexicon, so the figures
are an in-sample upper bound, not a field estimate.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "services/umpan_balik")]

from umpan_balik.domain.moderasi import leksikon_bawaan, periksa_teks  # noqa: E402

EVAL = ROOT / "services/umpan_balik/umpan_balik/data/moderasi_eval.jsonl"


def rasio(a: int, b: int) -> float:
    return a / b if b else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tampilkan-teks", action="store_true", help="print misclassified texts")
    args = parser.parse_args()

    baris = [json.loads(b) for b in EVAL.read_text(encoding="utf-8").splitlines() if b.strip()]
    leksikon = leksikon_bawaan()
    hitung = Counter()
    per_jenis = Counter()
    per_tahap: dict[str, Counter] = {}
    salah = []
    mulai = time.perf_counter()
    for b in baris:
        positif = b["label"] == "melanggar"
        ditolak = not periksa_teks(b["teks"], leksikon).aman
        hasil = {(True, True): "tp", (False, True): "fp", (False, False): "tn", (True, False): "fn"}[
            (positif, ditolak)
        ]
        hitung[hasil] += 1
        per_jenis[(b["label"], b["jenis"], hasil in ("tp", "tn"))] += 1
        per_tahap.setdefault(b.get("tahap", "awal"), Counter())[hasil] += 1
        if hasil in ("fp", "fn"):
            salah.append((hasil, b))
    lama_ms = (time.perf_counter() - mulai) * 1000

    tp, fp, tn, fn = (hitung[k] for k in ("tp", "fp", "tn", "fn"))
    print(f"set: {EVAL.relative_to(ROOT)}  lines={len(baris)}  melanggar={tp + fn}  bersih={tn + fp}")
    print(f"TP={tp} FP={fp} TN={tn} FN={fn}")
    print(f"precision           {rasio(tp, tp + fp):.3f}")
    print(f"recall              {rasio(tp, tp + fn):.3f}")
    print(f"false-positive rate {rasio(fp, fp + tn):.3f}")
    print(f"false-negative rate {rasio(fn, fn + tp):.3f}")
    print(f"time                {lama_ms:.0f} ms total, {lama_ms / len(baris):.2f} ms/line")
    print("per kind (label/jenis: correct/total):")
    for label, jenis in sorted({(k[0], k[1]) for k in per_jenis}):
        benar = per_jenis[(label, jenis, True)]
        total = benar + per_jenis[(label, jenis, False)]
        print(f"  {label}/{jenis}: {benar}/{total}")
    print("per stage (awal = written with the lexicon; susulan = written after it, never tuned on):")
    for tahap, h in per_tahap.items():
        print(
            f"  {tahap}: lines={sum(h.values())} precision={rasio(h['tp'], h['tp'] + h['fp']):.3f} "
            f"recall={rasio(h['tp'], h['tp'] + h['fn']):.3f} "
            f"fp_rate={rasio(h['fp'], h['fp'] + h['tn']):.3f} fn_rate={rasio(h['fn'], h['fn'] + h['tp']):.3f}"
        )
    print("misclassified:")
    for hasil, b in salah:
        catatan = b.get("catatan") or b.get("kategori") or ""
        teks = f"  {b['teks']!r}" if args.tampilkan_teks else ""
        print(f"  {hasil.upper()} {b['id']} [{b['jenis']}] {catatan}{teks}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
