"""Questionnaire templates per category, versioned (U2)."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from shared.errors import DomainError
from umpan_balik.domain.kuesioner import (
    KatalogKuesioner,
    Kuesioner,
    katalog_bawaan,
    kuesioner_terkini,
    kuesioner_versi,
)

DATA_KUESIONER = Path(__file__).parents[3] / "services/umpan_balik/umpan_balik/data/kuesioner"

# Published versions are frozen: answers already given are counted against
# them. Editing one must be a deliberate new version, so the content that
# answers depend on is pinned here. Add a line for each new version.
SIDIK_VERSI_TERBIT = {
    "praktik_pembelajaran.v1": "cc10688fc34d00aca2bebb2a702b531c465cd42774b708603fb3d0b08984a921",
    "materi_ajar.v1": "ce805ee6e3b272a02ca2a6c97435f49906f3e1a3f1f3e197adb640e12bf9c06b",
}

SKALA_SETUJU = {"Sangat Tidak Setuju", "Tidak Setuju", "Setuju", "Sangat Setuju"}


def sidik(kuesioner: Kuesioner) -> str:
    isi = kuesioner.model_dump(include={"pertanyaan", "tanggapan", "saran"}, mode="json")
    return hashlib.sha256(json.dumps(isi, sort_keys=True).encode()).hexdigest()


def salin_dengan_perubahan(tujuan: Path, sumber: Path, ubah) -> None:
    data = json.loads(sumber.read_text(encoding="utf-8"))
    ubah(data)
    berkas = tujuan / f"{data['id']}.json"
    berkas.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_u2_kedua_kategori_punya_kuesioner_sendiri():
    assert katalog_bawaan().daftar_kategori() == ["materi_ajar", "praktik_pembelajaran"]
    pp = kuesioner_terkini("praktik_pembelajaran")
    ma = kuesioner_terkini("materi_ajar")
    assert (pp.kategori, ma.kategori) == ("praktik_pembelajaran", "materi_ajar")
    # "Kuesioner dan Saran untuk ... praktik pembelajaran dan materi ajar
    # mempunyai pertanyaan yang berbeda" (SRC-BUKTI-KARYA, III.4)
    assert not {q.teks for q in pp.pertanyaan} & {q.teks for q in ma.pertanyaan}
    assert not {q.id for q in pp.pertanyaan} & {q.id for q in ma.pertanyaan}
    assert not {t.teks for t in pp.tanggapan} & {t.teks for t in ma.tanggapan}
    assert pp.saran.teks != ma.saran.teks


@pytest.mark.parametrize("kategori", ["praktik_pembelajaran", "materi_ajar"])
def test_u1_u2_bentuk_kuesioner(kategori):
    kuesioner = kuesioner_terkini(kategori)
    assert 6 <= len(kuesioner.pertanyaan) <= 8
    assert 2 <= len(kuesioner.tanggapan) <= 3
    assert any(t.wajib for t in kuesioner.tanggapan)
    assert all(t.maks_panjang <= 5000 for t in kuesioner.tanggapan)
    assert kuesioner.saran.wajib and kuesioner.saran.maks_panjang > 0
    for pertanyaan in kuesioner.pertanyaan:
        if pertanyaan.jenis == "likert":
            assert {p.teks for p in pertanyaan.pilihan} == SKALA_SETUJU
            # ordered from disagree to agree, so charts and legends read naturally
            assert pertanyaan.pilihan[0].teks == "Sangat Tidak Setuju"
            assert pertanyaan.pilihan[-1].teks == "Sangat Setuju"
    assert {q.jenis for q in kuesioner.pertanyaan} == {"likert", "pilihan_ganda"}


def test_u2_versi_terbit_tidak_pernah_diubah():
    katalog = katalog_bawaan()
    for kategori in katalog.daftar_kategori():
        for versi in katalog.daftar_versi(kategori):
            kuesioner = katalog.versi(kategori, versi)
            assert SIDIK_VERSI_TERBIT.get(kuesioner.id) == sidik(kuesioner), (
                f"{kuesioner.id} berubah: buat versi baru alih-alih mengubah versi yang sudah terbit"
            )


def test_u2_versi_baru_menjadi_terkini_dan_versi_lama_tetap_utuh(tmp_path):
    sumber = DATA_KUESIONER / "materi_ajar.v1.json"
    salin_dengan_perubahan(tmp_path, sumber, lambda d: None)

    def versi_2(data):
        data["id"], data["versi"] = "materi_ajar.v2", 2
        data["pertanyaan"] = data["pertanyaan"][:6]
        data["pertanyaan"][0]["pilihan"] = data["pertanyaan"][0]["pilihan"] + [
            {"id": "n", "teks": "Ragu-ragu"}
        ]

    salin_dengan_perubahan(tmp_path, sumber, versi_2)
    katalog = KatalogKuesioner.dari_direktori(tmp_path)

    assert katalog.daftar_versi("materi_ajar") == [1, 2]
    assert katalog.terkini("materi_ajar").versi == 2
    lama = katalog.versi("materi_ajar", 1)
    assert lama.model_dump() == kuesioner_versi("materi_ajar", 1).model_dump()
    assert len(lama.pertanyaan) == 8
    assert lama.pertanyaan[0].cari_pilihan("n") is None
    assert katalog.terkini("materi_ajar").pertanyaan[0].cari_pilihan("n") is not None


def test_u2_kategori_atau_versi_tidak_dikenal_ditolak_dengan_kode():
    with pytest.raises(DomainError) as galat:
        kuesioner_terkini("praktik_baik")
    assert galat.value.kode == "kuesioner_kategori_tidak_dikenal"
    assert galat.value.status == 404
    with pytest.raises(DomainError) as galat:
        kuesioner_versi("materi_ajar", 99)
    assert galat.value.kode == "kuesioner_versi_tidak_dikenal"


def test_u2_kuesioner_tidak_dapat_diubah_di_memori():
    kuesioner = kuesioner_terkini("materi_ajar")
    with pytest.raises(ValidationError):
        kuesioner.versi = 7


def test_u2_nama_berkas_harus_sesuai_id(tmp_path):
    data = json.loads((DATA_KUESIONER / "materi_ajar.v1.json").read_text(encoding="utf-8"))
    (tmp_path / "materi_ajar.v9.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="materi_ajar.v9.json"):
        KatalogKuesioner.dari_direktori(tmp_path)


@pytest.mark.parametrize(
    "rusak",
    [
        pytest.param(lambda d: d["pertanyaan"][0]["pilihan"].pop(), id="likert_3_titik"),
        pytest.param(
            lambda d: d["pertanyaan"][0]["pilihan"].append({"id": "s", "teks": "Setuju lagi"}),
            id="id_pilihan_ganda",
        ),
        pytest.param(
            lambda d: d["pertanyaan"].append(dict(d["pertanyaan"][0])), id="id_pertanyaan_ganda"
        ),
        pytest.param(lambda d: d.update(id="materi_ajar.v3"), id="id_tidak_cocok_versi"),
        pytest.param(
            lambda d: d["pertanyaan"][0].update(id="Ma Topik"), id="id_bukan_nama_field"
        ),
    ],
)
def test_u2_templat_rusak_ditolak_saat_dimuat(rusak):
    data = json.loads((DATA_KUESIONER / "materi_ajar.v1.json").read_text(encoding="utf-8"))
    rusak(data)
    with pytest.raises(ValidationError):
        Kuesioner.model_validate(data)
