"""Questionnaire analysis: percentages and accessible pie chart (U5)."""
from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction

import pytest

from shared.errors import DomainError
from umpan_balik.domain.analisa import (
    analisa_kuesioner,
    analisa_pertanyaan,
    bagi_persen,
    diagram_pie_svg,
    format_persen,
)
from umpan_balik.domain.kuesioner import Pertanyaan, kuesioner_terkini

SVG = "{http://www.w3.org/2000/svg}"
PP = kuesioner_terkini("praktik_pembelajaran")
LIKERT = PP.pertanyaan[0]


def test_u5_persen_contoh_sepertiga():
    assert bagi_persen([1, 1, 1]) == [Decimal("33.4"), Decimal("33.3"), Decimal("33.3")]
    assert bagi_persen([2, 1]) == [Decimal("66.7"), Decimal("33.3")]
    assert bagi_persen([1, 0, 0, 0]) == [Decimal("100.0"), Decimal("0.0"), Decimal("0.0"), Decimal("0.0")]


def test_u5_tanpa_jawaban_semua_nol_tanpa_galat_pembagian():
    assert bagi_persen([0, 0, 0, 0]) == [Decimal("0.0")] * 4
    assert bagi_persen([]) == []
    analisa = analisa_pertanyaan(LIKERT, {})
    assert analisa.total == 0 and all(h.persen == 0 for h in analisa.pilihan)


def test_u5_seri_sisa_dimenangkan_jumlah_lebih_banyak_lalu_urutan_pilihan():
    # total 16: 1/16 and 3/16 both leave remainder 0.5 of a tenth
    assert bagi_persen([1, 3, 12]) == [Decimal("6.2"), Decimal("18.8"), Decimal("75.0")]
    assert bagi_persen([1, 1, 1, 1, 1, 1]) == [Decimal("16.7")] * 4 + [Decimal("16.6")] * 2


@pytest.mark.parametrize("desimal", [0, 1, 2])
def test_u5_properti_jumlah_tepat_100_dan_dekat_nilai_sebenarnya(desimal):
    acak = random.Random(20240501 + desimal)
    satuan = Decimal(1).scaleb(-desimal)
    for _ in range(3000):
        panjang = acak.randint(1, 8)
        batas = acak.choice([1, 3, 10, 1000, 10**6])
        jumlah = [acak.randint(0, batas) if acak.random() > 0.2 else 0 for _ in range(panjang)]
        persen = bagi_persen(jumlah, desimal)
        total = sum(jumlah)
        if total == 0:
            assert all(p == 0 for p in persen)
            continue
        assert sum(persen) == Decimal(100), (jumlah, persen)
        for j, p in zip(jumlah, persen):
            assert p.as_tuple().exponent == -desimal
            sebenarnya = Fraction(100 * j, total)
            assert abs(Fraction(p) - sebenarnya) < Fraction(satuan), (jumlah, persen)
            if j == 0:
                assert p == 0
        for a in range(panjang):  # more answers never show a smaller share
            for b in range(panjang):
                if jumlah[a] > jumlah[b]:
                    assert persen[a] >= persen[b], (jumlah, persen)


def test_u5_jumlah_negatif_ditolak():
    with pytest.raises(ValueError):
        bagi_persen([3, -1])


def test_u5_format_persen_koma_indonesia():
    assert format_persen(Decimal("33.3")) == "33,3%"
    assert format_persen(Decimal("100.0")) == "100,0%"


def test_u5_analisa_kuesioner_urut_templat_dan_pertanyaan_tanpa_jawaban_nol():
    analisa = analisa_kuesioner(PP, {"pp_tujuan_jelas": {"ss": 3, "s": 1}})
    assert [p.pertanyaan_id for p in analisa.pertanyaan] == [q.id for q in PP.pertanyaan]
    pertama = analisa.pertanyaan[0]
    assert [(h.pilihan_id, h.jumlah, h.persen) for h in pertama.pilihan] == [
        ("sts", 0, Decimal("0.0")),
        ("ts", 0, Decimal("0.0")),
        ("s", 1, Decimal("25.0")),
        ("ss", 3, Decimal("75.0")),
    ]
    assert analisa.pertanyaan[1].total == 0
    assert analisa.model_dump(mode="json")["pertanyaan"][0]["pilihan"][3]["persen"] == 75.0


@pytest.mark.parametrize(
    "jumlah",
    [
        {"pp_tujuan_jelas": {"netral": 2}},
        {"ma_isi_akurat": {"s": 2}},
        {"pp_tujuan_jelas": {"s": -1}},
    ],
)
def test_u5_hitungan_versi_lain_atau_rusak_ditolak(jumlah):
    with pytest.raises(DomainError) as info:
        analisa_kuesioner(PP, jumlah)
    assert info.value.kode == "hitungan_tidak_cocok_kuesioner"


# -- SVG ------------------------------------------------------------------------

def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def irisan(akar: ET.Element) -> list[ET.Element]:
    return akar.findall(f"{SVG}g[@class='irisan']/{SVG}path")


def test_u5_svg_irisan_dan_label_aksesibel():
    analisa = analisa_pertanyaan(LIKERT, {"sts": 1, "s": 6, "ss": 5}, nomor=1)
    akar = parse(diagram_pie_svg(analisa))
    assert akar.get("role") == "img"
    ids = akar.get("aria-labelledby").split()
    assert [akar.find(f"{SVG}title").get("id"), akar.find(f"{SVG}desc").get("id")] == ids
    assert akar.find(f"{SVG}title").text.startswith("Pertanyaan 1: Guru menyampaikan tujuan")
    assert "Dari 12 jawaban" in akar.find(f"{SVG}desc").text
    potongan = irisan(akar)
    assert len(potongan) == 3  # options with zero answers draw no slice
    assert [p.find(f"{SVG}title").text for p in potongan] == [
        "Sangat Tidak Setuju: 1 jawaban (8,3%)",
        "Setuju: 6 jawaban (50,0%)",
        "Sangat Setuju: 5 jawaban (41,7%)",
    ]
    legenda = akar.findall(f"{SVG}g[@class='legenda']/{SVG}text")
    assert [t.text for t in legenda][1] == "Tidak Setuju: 0 jawaban (0,0%)"
    assert len(legenda) == 4


def test_u5_svg_satu_irisan_100_persen_lingkaran_penuh():
    analisa = analisa_pertanyaan(LIKERT, {"ss": 7})
    potongan = irisan(parse(diagram_pie_svg(analisa)))
    assert len(potongan) == 1
    d = potongan[0].get("d")
    assert d.count("A ") == 2 and "L " not in d  # two half arcs, no wedge to the centre
    assert potongan[0].find(f"{SVG}title").text == "Sangat Setuju: 7 jawaban (100,0%)"


def test_u5_svg_tanpa_jawaban():
    akar = parse(diagram_pie_svg(analisa_pertanyaan(LIKERT, {})))
    assert irisan(akar) == []
    assert akar.find(f"{SVG}desc").text == "Belum ada jawaban untuk pertanyaan ini."
    assert akar.find(f"{SVG}g[@class='irisan']/{SVG}circle") is not None


def test_u5_svg_busur_besar_untuk_irisan_lebih_dari_setengah():
    analisa = analisa_pertanyaan(LIKERT, {"s": 3, "ss": 1})
    d_besar, d_kecil = (p.get("d") for p in irisan(parse(diagram_pie_svg(analisa))))
    assert " 0 1 1 " in d_besar and " 0 0 1 " in d_kecil


def test_u5_svg_teks_di_escape_dan_tanpa_sumber_luar():
    pertanyaan = Pertanyaan(
        id="q_aneh",
        teks='Apakah <b>"contoh"</b> & latihan cukup?',
        jenis="pilihan_ganda",
        pilihan=[{"id": "a", "teks": "Ya <script>alert(1)</script>"}, {"id": "b", "teks": "Tidak & ragu"}],
    )
    svg = diagram_pie_svg(analisa_pertanyaan(pertanyaan, {"a": 1, "b": 1}), id_elemen='x"y')
    akar = parse(svg)  # would raise on broken escaping
    assert "<script>" not in svg and "<b>" not in svg
    assert akar.find(f"{SVG}title").text == 'Pertanyaan 1: Apakah <b>"contoh"</b> & latihan cukup?'
    assert irisan(akar)[0].find(f"{SVG}title").text == "Ya <script>alert(1)</script>: 1 jawaban (50,0%)"
    sisa = svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "http" not in sisa and "href" not in sisa and "url(" not in sisa
