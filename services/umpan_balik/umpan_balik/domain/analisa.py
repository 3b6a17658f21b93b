"""Questionnaire analysis: percentage of each answer, as a pie chart (U5).

SRC-BUKTI-KARYA (III.3): "Lihat Analisa Kuesioner" shows, for each question, "persentase
jawaban dari analisis kuesioner dalam bentuk pie chart".

Percentages have one decimal place, shown with the Indonesian decimal comma
("33,3%"). They are apportioned with the largest-remainder method so the
options of one question always add up to exactly 100,0 (or all 0 when nobody
answered yet); ties in the remainder go to the option with more answers, then
to the earlier option. Counts are always those of one questionnaire version
and read against that version's options.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from pydantic import field_serializer

from shared.errors import DomainError
from shared.models import FrozenModel
from umpan_balik.domain.kuesioner import Kuesioner, Pertanyaan

DESIMAL_PERSEN = 1

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
# Colour is never the only carrier: every slice and legend row also says its
# option, count and percent.
WARNA_IRISAN = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999",
)


def bagi_persen(jumlah: Sequence[int], desimal: int = DESIMAL_PERSEN) -> list[Decimal]:
    """Percentages of `jumlah` rounded to `desimal` places, summing to exactly
    100 (largest-remainder method); all zero when the total is zero."""
    if any(j < 0 for j in jumlah):
        raise ValueError(f"jumlah negatif: {list(jumlah)}")
    kuantum = Decimal(1).scaleb(-desimal)
    total = sum(jumlah)
    if total == 0:
        return [Decimal(0).quantize(kuantum) for _ in jumlah]
    satuan = 100 * 10**desimal  # work in whole units of the last decimal place
    bagian = [j * satuan // total for j in jumlah]
    sisa = [j * satuan % total for j in jumlah]
    kurang = satuan - sum(bagian)
    urutan = sorted(range(len(jumlah)), key=lambda i: (-sisa[i], -jumlah[i], i))
    for i in urutan[:kurang]:
        bagian[i] += 1
    return [Decimal(b).scaleb(-desimal).quantize(kuantum) for b in bagian]


def format_persen(persen: Decimal) -> str:
    """Indonesian notation: "33,3%"."""
    return f"{persen}".replace(".", ",") + "%"


class HasilPilihan(FrozenModel):
    pilihan_id: str
    teks: str
    jumlah: int
    persen: Decimal

    @field_serializer("persen", when_used="json")
    def _persen_sebagai_angka(self, persen: Decimal) -> float:
        return float(persen)


class AnalisaPertanyaan(FrozenModel):
    pertanyaan_id: str
    nomor: int
    teks: str
    total: int
    pilihan: tuple[HasilPilihan, ...]


class AnalisaKuesioner(FrozenModel):
    kuesioner_id: str
    kategori: str
    versi: int
    pertanyaan: tuple[AnalisaPertanyaan, ...]


def _hitungan_tidak_cocok(**extra: object) -> DomainError:
    return DomainError(
        "hitungan_tidak_cocok_kuesioner",
        "Analisa kuesioner belum dapat ditampilkan karena data jawaban tidak sesuai "
        "dengan versi kuesionernya. Coba lagi nanti; tim kami sudah diberi tahu.",
        status=500,
        **extra,
    )


def analisa_pertanyaan(
    pertanyaan: Pertanyaan, jumlah_per_pilihan: Mapping[str, int], nomor: int = 1
) -> AnalisaPertanyaan:
    """Count and percent of every option of one question, in template order."""
    asing = set(jumlah_per_pilihan) - {p.id for p in pertanyaan.pilihan}
    if asing:
        raise _hitungan_tidak_cocok(pertanyaan_id=pertanyaan.id, pilihan_id=sorted(asing))
    jumlah = [jumlah_per_pilihan.get(p.id, 0) for p in pertanyaan.pilihan]
    if any(j < 0 for j in jumlah):
        raise _hitungan_tidak_cocok(pertanyaan_id=pertanyaan.id)
    return AnalisaPertanyaan(
        pertanyaan_id=pertanyaan.id,
        nomor=nomor,
        teks=pertanyaan.teks,
        total=sum(jumlah),
        pilihan=tuple(
            HasilPilihan(pilihan_id=p.id, teks=p.teks, jumlah=j, persen=persen)
            for p, j, persen in zip(pertanyaan.pilihan, jumlah, bagi_persen(jumlah), strict=True)
        ),
    )


def analisa_kuesioner(
    kuesioner: Kuesioner, jumlah: Mapping[str, Mapping[str, int]]
) -> AnalisaKuesioner:
    """Analysis of every question of this version from its counts
    (pertanyaan id -> pilihan id -> count); questions without counts show zeros."""
    asing = set(jumlah) - {q.id for q in kuesioner.pertanyaan}
    if asing:
        raise _hitungan_tidak_cocok(kuesioner_id=kuesioner.id, pertanyaan_id=sorted(asing))
    return AnalisaKuesioner(
        kuesioner_id=kuesioner.id,
        kategori=kuesioner.kategori,
        versi=kuesioner.versi,
        pertanyaan=tuple(
            analisa_pertanyaan(q, jumlah.get(q.id, {}), nomor)
            for nomor, q in enumerate(kuesioner.pertanyaan, start=1)
        ),
    )


def _label(hasil: HasilPilihan) -> str:
    return f"{hasil.teks}: {hasil.jumlah} jawaban ({format_persen(hasil.persen)})"


def _titik(cx: float, cy: float, r: float, sudut: float) -> str:
    return f"{cx + r * math.cos(sudut):.3f} {cy + r * math.sin(sudut):.3f}"


def diagram_pie_svg(
    analisa: AnalisaPertanyaan, *, id_elemen: str | None = None, jari_jari: int = 90
) -> str:
    """An accessible, self-contained SVG pie chart of one question.

    One `<path>` per option that has answers (each with a `<title>` naming the
    option, count and percent), a legend listing every option, `<title>` and
    `<desc>` referenced by `aria-labelledby`. Slices are sized by the exact
    counts; labels show the rounded percentages. A single option with every
    answer is a full circle; no answers at all is an empty grey circle.
    """
    dasar_id = id_elemen or f"pie-{analisa.pertanyaan_id}"
    id_judul, id_desk = f"{dasar_id}-judul", f"{dasar_id}-desk"
    tepi = 10
    cx = cy = tepi + jari_jari
    baris_legenda = 22
    lebar = 2 * (tepi + jari_jari) + 320
    tinggi = max(2 * (tepi + jari_jari), tepi * 2 + baris_legenda * len(analisa.pilihan))

    if analisa.total:
        ringkasan = "; ".join(_label(h) for h in analisa.pilihan)
        desk = f"Dari {analisa.total} jawaban: {ringkasan}."
    else:
        desk = "Belum ada jawaban untuk pertanyaan ini."
    bagian = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f"aria-labelledby={quoteattr(f'{id_judul} {id_desk}')} "
        f'viewBox="0 0 {lebar} {tinggi}" width="{lebar}" height="{tinggi}">',
        f"<title id={quoteattr(id_judul)}>"
        f"{escape(f'Pertanyaan {analisa.nomor}: {analisa.teks}')}</title>",
        f"<desc id={quoteattr(id_desk)}>{escape(desk)}</desc>",
        '<g class="irisan" stroke="#ffffff" stroke-width="1">',
    ]
    terisi = [(i, h) for i, h in enumerate(analisa.pilihan) if h.jumlah]
    if not terisi:
        bagian.append(
            f'<circle cx="{cx}" cy="{cy}" r="{jari_jari}" fill="#e0e0e0" aria-hidden="true"/>'
        )
    sudut = -math.pi / 2  # start at twelve o'clock, go clockwise
    for i, hasil in terisi:
        warna = WARNA_IRISAN[i % len(WARNA_IRISAN)]
        if hasil.jumlah == analisa.total:
            # An arc cannot end where it starts: draw the circle as two halves.
            d = (
                f"M {cx - jari_jari} {cy} A {jari_jari} {jari_jari} 0 1 1 {cx + jari_jari} {cy} "
                f"A {jari_jari} {jari_jari} 0 1 1 {cx - jari_jari} {cy} Z"
            )
        else:
            besar = 2 * math.pi * hasil.jumlah / analisa.total
            akhir = sudut + besar
            d = (
                f"M {cx} {cy} L {_titik(cx, cy, jari_jari, sudut)} "
                f"A {jari_jari} {jari_jari} 0 {1 if besar > math.pi else 0} 1 "
                f"{_titik(cx, cy, jari_jari, akhir)} Z"
            )
            sudut = akhir
        bagian.append(
            f'<path d="{d}" fill="{warna}"><title>{escape(_label(hasil))}</title></path>'
        )
    bagian.append("</g>")

    x_legenda = 2 * (tepi + jari_jari) + 10
    bagian.append('<g class="legenda" font-family="sans-serif" font-size="13">')
    for i, hasil in enumerate(analisa.pilihan):
        y = tepi + i * baris_legenda
        bagian.append(
            f'<rect x="{x_legenda}" y="{y}" width="14" height="14" '
            f'fill="{WARNA_IRISAN[i % len(WARNA_IRISAN)]}" aria-hidden="true"/>'
            f'<text x="{x_legenda + 20}" y="{y + 12}">{escape(_label(hasil))}</text>'
        )
    bagian.append("</g></svg>")
    return "\n".join(bagian)
