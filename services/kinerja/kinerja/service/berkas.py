"""Uploads: RPP/Modul Ajar, bukti dukung, school documents (P5, P9).

Two calls, the browser uploading directly to the object store in between:
1. ``minta_unggah``: checks who may attach what (the owner of an approved plan
   for RPP and for evidence of *their chosen* competence items and tugas
   tambahan; the school's principal or Plt. for KOSP / attendance summary),
   the type (PDF, DOCX, PPTX, JPG, PNG, and XLSX for the teacher-attendance summary; extension and content
   type must agree), a named kind of evidence (the Surat Keterangan Selesai of a chosen Pelatihan Mandiri topic)
   and the size limit, records a pending ``Berkas`` and returns a pre-signed
   PUT bound to that type, length and MD5.
2. ``konfirmasi``: checks the stored object (exists, size, type, checksum) and
   marks the Berkas confirmed; only confirmed files are attached or listed.

Each violation has its own kode: ``jenis_berkas_tidak_didukung``,
``ekstensi_tidak_sesuai_jenis``, ``berkas_terlalu_besar``, and from the store
``berkas_belum_diunggah``, ``ukuran_berkas_berbeda``, ``jenis_berkas_berbeda``,
``checksum_berkas_berbeda``.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from google.cloud.firestore_v1.base_query import FieldFilter
from pydantic import AwareDatetime, Field

from kinerja.domain import katalog
from kinerja.domain.rencana import StatusRencana
from kinerja.domain.siklus import Tahap, pastikan_periode_terbuka, pastikan_siklus_aktif, periksa_jendela, tanggal_lokal
from kinerja.service import akses, repo
from shared.errors import DomainError, Forbidden, NotFound
from shared.firestore import Tx, UnitOfWork, dengan_kedaluwarsa
from shared.models import FrozenModel, Identifier, Nama
from shared.objectstore import UNGGAHAN_BERLAKU, ObjectStore, UploadTicket, kunci_sementara, md5_base64_to_hex

# Allowed formats (P9: "PDF, DOCX, PPTX, JPG, PNG"): content type -> extensions.
JENIS_DIIZINKAN: dict[str, tuple[str, ...]] = {
    "application/pdf": ("pdf",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ("pptx",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/png": ("png",),
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TujuanBerkas(StrEnum):
    RPP_MODUL_AJAR = "rpp_modul_ajar"
    BUKTI_PENGEMBANGAN_KOMPETENSI = "bukti_pengembangan_kompetensi"
    BUKTI_TUGAS_TAMBAHAN = "bukti_tugas_tambahan"
    DOKUMEN_SEKOLAH = "dokumen_sekolah"


class KategoriDokumenSekolah(StrEnum):
    KOSP = "kosp"
    REKAP_KEHADIRAN = "rekap_kehadiran"


# The "Dokumen Rangkuman Kehadiran Guru" the principal uploads is one of the teachers' "bukti dukung lainnya"
# (P9) and is kept as a spreadsheet: XLSX is accepted for that school document only.
JENIS_KHUSUS: dict[tuple["TujuanBerkas", "KategoriDokumenSekolah | None"], dict[str, tuple[str, ...]]] = {
    (TujuanBerkas.DOKUMEN_SEKOLAH, KategoriDokumenSekolah.REKAP_KEHADIRAN): {XLSX: ("xlsx",)},
}


class StatusBerkas(StrEnum):
    MENUNGGU_UNGGAHAN = "menunggu_unggahan"
    TERKONFIRMASI = "terkonfirmasi"


class Berkas(FrozenModel):
    berkas_id: Identifier
    tujuan: TujuanBerkas
    pemilik_id: Identifier
    npsn: str
    siklus_id: str | None = None
    item_id: str | None = None  # kegiatan_id or tugas_id the evidence is for
    bukti_khusus: str | None = None  # e.g. surat_keterangan_selesai_pelatihan_mandiri (catalogue)
    materi_id: str | None = None  # the Pelatihan Mandiri topic a per-topic certificate is for
    kategori: KategoriDokumenSekolah | None = None
    nama_berkas: Nama
    jenis: str
    ukuran: int = Field(gt=0)
    md5_base64: str
    object_key: str  # where the confirmed file lives
    kunci_unggah: str | None = None  # where the browser uploads it (under sementara/); None: object_key (older rows)
    status: StatusBerkas = StatusBerkas.MENUNGGU_UNGGAHAN
    dibuat_pada: AwareDatetime
    dikonfirmasi_pada: AwareDatetime | None = None
    # the Firestore TTL field of a pending upload (written natively by BerkasRepo, not in the JSON dump);
    # None once confirmed, so a confirmed record is never deleted
    kedaluwarsa: AwareDatetime | None = Field(default=None, exclude=True)
    versi: int = Field(default=1, ge=1)


class BerkasRepo(repo.AggregateRepo[Berkas]):
    """Berkas with the TTL field as a timestamp: set while waiting for the upload, cleared on confirm."""

    def _dokumen(self, obj: Berkas) -> dict:
        menunggu = obj.status is StatusBerkas.MENUNGGU_UNGGAHAN
        return dengan_kedaluwarsa(obj.model_dump(mode="json"), obj.kedaluwarsa if menunggu else None)

    def add(self, tx: Tx, obj: Berkas) -> Berkas:
        tx.create(self.ref(tx, obj.berkas_id), self._dokumen(obj))
        return obj

    def save(self, tx: Tx, obj: Berkas) -> Berkas:
        obj = obj.model_copy(update={"versi": obj.versi + 1})
        tx.set(self.ref(tx, obj.berkas_id), self._dokumen(obj))
        return obj


berkas_repo = BerkasRepo(Berkas, repo.BERKAS, id_field="berkas_id")


def periksa_format(nama_berkas: str, jenis: str, ukuran: int, batas: int, tujuan: "TujuanBerkas | None" = None,
                   kategori: "KategoriDokumenSekolah | None" = None) -> str:
    """The file's extension (lower case), or the kode of what is wrong."""
    diizinkan = JENIS_DIIZINKAN | JENIS_KHUSUS.get((tujuan, kategori), {})  # type: ignore[arg-type]
    if jenis not in diizinkan:
        khusus = " XLSX hanya untuk Rangkuman Kehadiran Guru (dokumen sekolah)." if jenis == XLSX else ""
        raise DomainError("jenis_berkas_tidak_didukung",
                          "Format berkas tidak didukung. Unggah berkas PDF, DOCX, PPTX, JPG, atau PNG." + khusus,
                          jenis=jenis)
    ext = nama_berkas.rsplit(".", 1)[-1].lower() if "." in nama_berkas else ""
    if ext not in diizinkan[jenis]:
        raise DomainError("ekstensi_tidak_sesuai_jenis",
                          f"Ekstensi berkas '.{ext}' tidak sesuai dengan jenisnya ({jenis}). Periksa berkas Anda.")
    if ukuran > batas:
        raise DomainError("berkas_terlalu_besar",
                          f"Ukuran berkas {ukuran / 1048576:.1f} MB melebihi batas {batas / 1048576:.0f} MB. "
                          "Perkecil berkas (misalnya kompres PDF atau gambar) lalu unggah lagi.",
                          ukuran=ukuran, batas=batas)
    return ext


@dataclass(frozen=True)
class PermintaanUnggah:
    tujuan: TujuanBerkas
    nama_berkas: str
    jenis: str
    ukuran: int
    md5_base64: str
    siklus_id: str | None = None
    item_id: str | None = None
    npsn: str | None = None
    kategori: KategoriDokumenSekolah | None = None
    bukti_khusus: str | None = None
    materi_id: str | None = None


def _pastikan_bukti_khusus(rencana, m: PermintaanUnggah) -> None:
    """A named kind of evidence (the Surat Keterangan Selesai of a Pelatihan Mandiri topic, P9) only for a
    kegiatan that accepts it, and a per-topic certificate only for a topic chosen in the plan."""
    if m.bukti_khusus is None:
        if m.materi_id is not None:
            raise DomainError("bukti_khusus_wajib", "materi_id hanya untuk bukti per topik (bukti_khusus).")
        return
    kegiatan = katalog.kegiatan_pengembangan(m.item_id) if m.tujuan is TujuanBerkas.BUKTI_PENGEMBANGAN_KOMPETENSI \
        and m.item_id else None
    jenis = next((b for b in (kegiatan.bukti_khusus if kegiatan else ()) if b.id == m.bukti_khusus), None)
    if jenis is None:
        raise DomainError("bukti_khusus_tidak_sesuai",
                          f"Jenis bukti '{m.bukti_khusus}' tidak berlaku untuk kegiatan ini.", bukti_khusus=m.bukti_khusus,
                          item_id=m.item_id)
    topik = {i.materi_id for i in rencana.pengembangan if i.kegiatan_id == m.item_id and i.materi_id}
    if jenis.per_topik and m.materi_id not in topik:
        raise DomainError("materi_bukti_tidak_dikenal",
                          f"{jenis.nama} diunggah untuk satu topik Pelatihan Mandiri yang Anda pilih di rencana; "
                          "sebutkan materi_id topik itu.", materi_id=m.materi_id, topik=sorted(topik))


def _pastikan_bisa_unggah_siklus(tx: Tx, aktor: akses.Aktor, m: PermintaanUnggah, now: datetime) -> str:
    if not m.siklus_id:
        raise DomainError("siklus_wajib", "Sebutkan siklus_id Pelaksanaan Kinerja untuk berkas ini.")
    siklus = repo.siklus_repo.get(tx, m.siklus_id)
    rencana = repo.rencana_repo.get(tx, m.siklus_id)
    if siklus is None or rencana is None:
        raise NotFound("siklus_tidak_ditemukan", "Siklus kinerja tidak ditemukan.")
    if siklus.ptk_id != aktor.id:
        raise Forbidden("bukan_pemilik_siklus", "Anda hanya dapat mengunggah berkas untuk siklus kinerja Anda sendiri.")
    pastikan_siklus_aktif(siklus)
    if rencana.status not in (StatusRencana.DISETUJUI, StatusRencana.DISEPAKATI):
        raise DomainError("rencana_belum_disetujui",
                          "Berkas Pelaksanaan Kinerja dapat diunggah setelah Perencanaan Kinerja disetujui atasan.")
    today = tanggal_lokal(now)
    pastikan_periode_terbuka(siklus.periode, today)
    periksa_jendela(Tahap.PELAKSANAAN, siklus.periode, today)
    if m.tujuan is TujuanBerkas.BUKTI_PENGEMBANGAN_KOMPETENSI:
        if m.item_id not in {i.kegiatan_id for i in rencana.pengembangan}:
            raise DomainError("item_bukti_tidak_dikenal",
                              "Bukti dukung hanya untuk kegiatan Pengembangan Kompetensi yang Anda pilih di rencana.",
                              item_id=m.item_id)
    if m.tujuan is TujuanBerkas.BUKTI_TUGAS_TAMBAHAN:
        if m.item_id not in {t.tugas_id for t in rencana.tugas_tambahan}:
            raise DomainError("item_bukti_tidak_dikenal",
                              "Bukti dukung hanya untuk Tugas Tambahan yang Anda pilih di rencana.", item_id=m.item_id)
    _pastikan_bukti_khusus(rencana, m)
    return siklus.npsn


def minta_unggah(uow: UnitOfWork, store: ObjectStore, email: str | None, m: PermintaanUnggah, batas: int,
                 berlaku_detik: int, now: datetime) -> tuple[Berkas, UploadTicket]:
    ext = periksa_format(m.nama_berkas, m.jenis, m.ukuran, batas, m.tujuan, m.kategori)

    def work(tx: Tx) -> Berkas:
        aktor = akses.kenali(tx, email)
        if m.tujuan is TujuanBerkas.DOKUMEN_SEKOLAH:
            if not m.npsn or m.kategori is None:
                raise DomainError("dokumen_sekolah_tidak_lengkap",
                                  "Dokumen sekolah harus menyebutkan npsn dan kategori (kosp atau rekap_kehadiran).")
            sekolah = akses.sekolah_wajib(tx, m.npsn)
            akses.pastikan_memimpin(sekolah, aktor)
            npsn, siklus_id = sekolah.npsn, None
        else:
            npsn, siklus_id = _pastikan_bisa_unggah_siklus(tx, aktor, m, now), m.siklus_id
        bid = uuid.uuid4().hex
        folder = siklus_id or "sekolah"
        kunci = f"kinerja/{npsn}/{folder}/{m.tujuan.value}/{bid}.{ext}"
        berkas = Berkas(berkas_id=bid, tujuan=m.tujuan, pemilik_id=aktor.id, npsn=npsn, siklus_id=siklus_id,
                        item_id=m.item_id if m.tujuan in (TujuanBerkas.BUKTI_PENGEMBANGAN_KOMPETENSI,
                                                          TujuanBerkas.BUKTI_TUGAS_TAMBAHAN) else None,
                        kategori=m.kategori if m.tujuan is TujuanBerkas.DOKUMEN_SEKOLAH else None,
                        bukti_khusus=m.bukti_khusus, materi_id=m.materi_id,
                        nama_berkas=m.nama_berkas, jenis=m.jenis, ukuran=m.ukuran, md5_base64=m.md5_base64,
                        object_key=kunci, kunci_unggah=kunci_sementara(kunci), dibuat_pada=now,
                        kedaluwarsa=now + UNGGAHAN_BERLAKU)
        return berkas_repo.add(tx, berkas)

    md5_base64_to_hex(m.md5_base64)
    berkas = uow.run(work)
    assert berkas.kunci_unggah is not None
    # an upload URL never outlives the record it is confirmed against
    tiket = store.presign_put(berkas.kunci_unggah, berkas.jenis, berkas.ukuran, berkas.md5_base64,
                              expires=min(berlaku_detik, int(UNGGAHAN_BERLAKU.total_seconds())))
    return berkas, tiket


def konfirmasi(uow: UnitOfWork, store: ObjectStore, email: str | None, berkas_id: str, versi: int,
               now: datetime) -> Berkas:
    def baca(tx: Tx) -> Berkas:
        aktor = akses.kenali(tx, email)
        berkas = berkas_repo.get(tx, berkas_id)
        if berkas is None:
            raise NotFound("berkas_tidak_ditemukan", "Berkas tidak ditemukan.")
        if berkas.pemilik_id != aktor.id:
            raise Forbidden("bukan_pemilik_berkas", "Hanya pengunggah yang dapat mengonfirmasi berkas ini.")
        repo.pastikan_versi(berkas, versi)  # after the owner check: a stranger never learns the version
        return berkas

    berkas = uow.run(baca)
    if berkas.status is StatusBerkas.TERKONFIRMASI:
        return berkas
    if berkas.kedaluwarsa is not None and now >= berkas.kedaluwarsa:
        # the bucket's lifecycle rule deletes the upload at this age; the record goes by TTL
        raise DomainError("unggahan_kedaluwarsa",
                          "Batas waktu konfirmasi unggahan ini sudah lewat (1 hari) dan berkasnya sudah dihapus. "
                          "Unggah ulang berkasnya, lalu konfirmasi.", status=410, berkas_id=berkas_id)
    _pindahkan_unggahan(store, berkas)

    def simpan(tx: Tx) -> Berkas:
        terkini = berkas_repo.get(tx, berkas_id)  # the uploader was authorised above (pemilik_id never changes)
        assert terkini is not None
        repo.pastikan_versi(terkini, versi)
        if terkini.status is StatusBerkas.TERKONFIRMASI:
            return terkini
        return berkas_repo.save(tx, terkini.model_copy(update={"status": StatusBerkas.TERKONFIRMASI,
                                                                "dikonfirmasi_pada": now}))
    return uow.run(simpan)


def _pindahkan_unggahan(store: ObjectStore, berkas: Berkas) -> None:
    """Check the uploaded object and move it to its own key, out of reach of the lifecycle rule. A
    retry after the move (the record not yet saved) finds it at its own key already."""
    sementara = berkas.kunci_unggah or berkas.object_key
    if sementara == berkas.object_key:  # a record from before uploads went to sementara/
        store.confirm(berkas.object_key, berkas.jenis, berkas.ukuran, berkas.md5_base64)
        return
    try:
        store.confirm(sementara, berkas.jenis, berkas.ukuran, berkas.md5_base64)
    except DomainError as exc:
        if exc.kode != "berkas_belum_diunggah":
            raise
        try:
            store.confirm(berkas.object_key, berkas.jenis, berkas.ukuran, berkas.md5_base64)
        except DomainError:
            raise exc from None
        return
    store.pindahkan(sementara, berkas.object_key)


def url_unduh(store: ObjectStore, berkas: Berkas, berlaku_detik: int) -> str:
    return store.client.generate_presigned_url("get_object", Params={"Bucket": store.bucket, "Key": berkas.object_key},
                                               ExpiresIn=berlaku_detik)


def _terkonfirmasi(docs: list[dict]) -> list[Berkas]:
    hasil = [Berkas.model_validate({k: v for k, v in d.items() if k != "_id"}) for d in docs]
    return sorted((b for b in hasil if b.status is StatusBerkas.TERKONFIRMASI), key=lambda b: b.dibuat_pada)


def bukti_siklus(uow: UnitOfWork, email: str | None, siklus_id: str) -> list[Berkas]:
    """Confirmed RPP and evidence of one cycle: its owner and their Pejabat Penilai."""
    from kinerja.service import pelaksanaan

    pelaksanaan.lihat(uow, email, siklus_id)  # owner or penilai, else 403

    def work(tx: Tx) -> list[Berkas]:
        q = tx.collection(repo.BERKAS).where(filter=FieldFilter("siklus_id", "==", siklus_id)).limit(500)
        return _terkonfirmasi(tx.query(q))
    return uow.run(work)


def dokumen_sekolah(uow: UnitOfWork, email: str | None, npsn: str) -> list[Berkas]:
    """KOSP and attendance summaries: the school's principal / Plt. and its teachers (P9)."""
    def work(tx: Tx) -> list[Berkas]:
        aktor = akses.kenali(tx, email)
        sekolah = akses.sekolah_wajib(tx, npsn)
        if not akses.memimpin(sekolah, aktor):
            ptk = repo.baca_ptk(tx, aktor.ptk_id) if aktor.ptk_id else None
            if ptk is None or (npsn != ptk.npsn_induk and npsn not in ptk.npsn_lain):
                raise Forbidden("bukan_warga_sekolah",
                                "Dokumen sekolah hanya dapat dilihat oleh guru dan kepala sekolah sekolah ini.",
                                npsn=npsn)
        q = (tx.collection(repo.BERKAS).where(filter=FieldFilter("npsn", "==", npsn))
             .where(filter=FieldFilter("tujuan", "==", TujuanBerkas.DOKUMEN_SEKOLAH.value)).limit(200))
        return _terkonfirmasi(tx.query(q))
    return uow.run(work)
