"""The demo world: one district, three schools, about thirty teachers, loaded into the running
local stack only through the inbound events the ministry systems publish (never by writing a
collection), plus a YouTube channel per teacher at the Google stand-in.

    python -m local.demo            # load (idempotent) and print who is who
    python -m local.demo --siapa    # only print who is who (mint tokens for them with `make token`)
    make up DEMO=1 | make demo

Deterministic: every name, NIP, NPSN, id and event id comes from a seeded generator, so a second
load publishes the very same events (same CloudEvents ids: the consumers' ledgers drop them; same
source `versi`: nothing newer to apply) and finds the stand-in already holding the same channels.

The world (period 2027-1, the first cycle of 2027):
- Dinas Pendidikan Kota Harapan with its Kepala Dinas; the BKD's Admin Instansi.
- SD Negeri 1 Harapan: a definitive kepala sekolah. SMP Negeri 2 Harapan: only a Plt.
  SD Negeri 3 Harapan: no superior in Dapodik ("Data atasan Anda tidak ditemukan").
- Teachers with valid NIPs (birth yyyymmdd, TMT yyyymm or PPPK code, gender, sequence), a mix of
  PNS / PPPK / CPNS / honorer / GTY / GTT, a Guru BK, and BKN-side data defects that make
  Sinkro PMM answer its documented errors (#1, #3, #5, #7, #10, #11, #15, #16).
- Rapor Pendidikan recommendations per school; a YouTube stand-in channel per teacher with a
  video in every state (public, unlisted, private, not embeddable, processing, failed, deleted).

`bangun_dunia(akhiran=...)` builds the same kind of world with other ids; the walkthrough
(local/walkthrough.py) uses it for its own fresh cast on every run.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import requests

from shared.contracts.referensi_bkn import (
    AdminInstansiDiperbarui,
    PegawaiDiperbarui,
    PegawaiEkinerjaDiperbarui,
    PltEkinerjaData,
    SkpOrganisasiDiperbarui,
    UnorData,
)
from shared.contracts.referensi_dapodik import (
    DinasDiperbarui,
    PenugasanPltData,
    PtkDiperbarui,
    RaporDiterbitkan,
    RekomendasiData,
    SekolahDiperbarui,
)
from shared.events import SOURCE_PREFIX, Event, EventPayload

PERIODE = "2027-1"
SEED = 2027
NAMA_DEPAN = ["Sari", "Budi", "Dewi", "Agus", "Rina", "Hendra", "Wulan", "Joko", "Maya", "Rudi", "Fitri", "Eko",
              "Lestari", "Bambang", "Yuni", "Dedi", "Ratna", "Slamet", "Indah", "Teguh", "Nur", "Wahyu", "Sri",
              "Hadi", "Ayu", "Fajar", "Kartini", "Arif", "Putri", "Gilang", "Siti", "Yusuf", "Mega", "Rizky"]
NAMA_BELAKANG = ["Wulandari", "Santoso", "Pratama", "Lestari", "Hidayat", "Kusuma", "Nugroho", "Rahayu",
                 "Saputra", "Permata", "Siregar", "Harahap", "Simanjuntak", "Setiawan", "Utami", "Purnomo"]
# Which BKN-side defect a teacher carries, by position among a school's ASN teachers, and the
# Sinkro PMM error it makes once they sync (numbers as in SRC-BIMTEK-MAPPI).
INSTANSI_NAMA = "Pemerintah Kota Harapan"  # INSTANSI on the e-Kinerja profile: sync follow-ups name its BKD

CACAT = {
    "nip_beda": "#1 NIP di Dapodik berbeda dengan SIASN (NIP in Dapodik differs from SIASN)",
    "bukan_pengguna_pmm": "#1 belum terdaftar sebagai User PMM di e-Kinerja (not a PMM user in e-Kinerja)",
    "unor_nonaktif": "#3 unor tidak aktif di SIASN (unit inactive in SIASN)",
    "unor_tanpa_induk": "#5 unit kerja atasan tidak ditemukan (unit without parent)",
    "status_honorer": "#7 Dapodik mencatat honorer, SIASN PNS (status in Dapodik not ASN)",
    "pns_id_beda": "#10 PNS ID Dapodik berbeda dengan SIASN (PNS ID mismatch)",
    "belum_ekinerja": "#11 belum ditambahkan ke e-Kinerja (not added to e-Kinerja)",
    "atasan_beda": "#16 atasan di SIASN berbeda (another superior in SIASN)",
}


@dataclass
class Orang:
    kunci: str
    ptk_id: str
    nama: str
    email: str
    jabatan: str
    status: str
    npsn: str
    nip: str | None = None
    pns_id: str | None = None
    peran: str = "guru"
    akun_youtube: str | None = None
    cacat: str | None = None
    plt: list[str] = field(default_factory=list)

    @property
    def sub(self) -> str:
        return f"sub-{self.ptk_id}"


@dataclass
class Sekolah:
    npsn: str
    nama: str
    jenjang: str
    ks: str | None = None
    plt: str | None = None
    rekomendasi: tuple[str, ...] = ()


@dataclass
class Dunia:
    akhiran: str
    dinas_id: str
    dinas_nama: str
    instansi_id: str
    kadis: Orang
    admin: Orang
    sekolah: list[Sekolah]
    orang: list[Orang]
    akun_youtube: list[dict[str, Any]]
    events: list[Event] = field(default_factory=list)

    def cari(self, kunci: str) -> Orang:
        return next(o for o in [self.kadis, self.admin, *self.orang] if o.kunci == kunci)


def _h(*parts: Any, n: int = 32) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:n]


def _id_video(*parts: Any) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return "".join(alphabet[b % 64] for b in digest[:11])


def buat_nip(rng: random.Random, urut: int, status: str) -> str:
    """An 18-digit NIP: birth yyyymmdd, TMT yyyymm (PPPK: year + agreement code), gender 1/2, sequence."""
    lahir = date(rng.randrange(1972, 1998), rng.randrange(1, 13), rng.randrange(1, 29))
    if status == "cpns":
        tmt = f"{rng.choice([2025, 2026])}{rng.randrange(1, 13):02d}"
    elif status == "pppk":
        tmt = f"{rng.choice([2021, 2024])}{rng.choice(['21', '24'])}"
    else:
        tmt = f"{min(lahir.year + rng.randrange(23, 31), 2020)}{rng.randrange(1, 13):02d}"
    return f"{lahir:%Y%m%d}{tmt}{rng.choice('12')}{urut:03d}"


def _video_semua_keadaan(akun: str, nama: str) -> list[dict[str, Any]]:
    keadaan = [("publik", {"privacy": "public"}), ("tidak_publik", {"privacy": "unlisted"}),
               ("privat", {"privacy": "private"}), ("tidak_dapat_disematkan", {"embeddable": False}),
               ("sedang_diproses", {"upload_status": "uploaded"}), ("gagal_diproses", {"upload_status": "failed"}),
               ("dihapus", {"deleted": True})]
    judul = {"publik": "Pecahan dengan kue", "tidak_publik": "Membaca nyaring", "privat": "Catatan pribadi",
             "tidak_dapat_disematkan": "Percobaan gaya", "sedang_diproses": "Rekaman baru",
             "gagal_diproses": "Unggahan rusak", "dihapus": "Video lama"}
    out = []
    for i, (k, ubah) in enumerate(keadaan):
        out.append({"id": _id_video(akun, k), "title": f"{judul[k]} ({nama})", "description": f"Video {k}.",
                    "published_at": f"2026-0{i + 1}-1{i}T08:00:00Z", "duration": f"PT{8 + i}M{5 * i}S",
                    "privacy": "public", "embeddable": True, "upload_status": "processed", "deleted": False} | ubah)
    return out


def bangun_dunia(akhiran: str = "", seed: int = SEED, jumlah_guru: tuple[int, int, int] = (11, 10, 9),
                 cacat_pilihan: dict[str, str] | None = None) -> Dunia:
    """The world as data and the events that load it; `akhiran` (suffix) makes every id distinct;
    `cacat_pilihan` gives chosen people (by `kunci`) a defect of CACAT."""
    rng = random.Random(f"{seed}{akhiran}")
    sfx = f"-{akhiran}" if akhiran else ""
    dom = f"{akhiran}." if akhiran else ""
    npsn_dasar = 20100000 + (int(_h("npsn", akhiran, n=6), 16) % 899) * 100 if akhiran else 20170100
    sekolah = [Sekolah(str(npsn_dasar + 1), "SD Negeri 1 Harapan", "sd", rekomendasi=("D1.2", "D1.4")),
               Sekolah(str(npsn_dasar + 2), "SMP Negeri 2 Harapan", "smp", rekomendasi=("D1.5", "D1.1")),
               Sekolah(str(npsn_dasar + 3), "SD Negeri 3 Harapan", "sd", rekomendasi=("D1.3",))]
    nama_pool = [f"{d} {b}" for d in NAMA_DEPAN for b in NAMA_BELAKANG]
    rng.shuffle(nama_pool)
    urut = iter(range(1, 999))
    orang: list[Orang] = []

    def tambah(kunci: str, sk: Sekolah, jabatan: str, status: str, peran: str) -> Orang:
        nama = nama_pool.pop()
        ptk_id = f"ptk-demo{sfx}-{kunci}"
        lokal = nama.lower().replace(" ", ".")
        nip = buat_nip(rng, next(urut), status) if status in ("pns", "pppk", "cpns", "pns_diperbantukan") else None
        o = Orang(kunci, ptk_id, nama, f"{lokal}@{dom}guru.{sk.jenjang}.belajar.id", jabatan, status, sk.npsn,
                  nip=nip, pns_id=f"PNS-{_h('pns', ptk_id, n=12).upper()}" if nip else None, peran=peran,
                  akun_youtube=f"akun-demo{sfx}-{kunci}")
        orang.append(o)
        return o

    a, b, c = sekolah
    a.ks = tambah("ks-sdn1", a, "kepala_sekolah", "pns", "kepala sekolah definitif").ptk_id
    plt = tambah("plt-smpn2", b, "guru", "pns", "Plt. kepala sekolah")
    plt.plt = [b.npsn]
    b.plt = plt.ptk_id
    statuses = ["pns", "pns", "pppk", "pns", "cpns", "honorer", "pns", "gty", "pppk", "gtt", "pns", "pns_diperbantukan"]
    cacat_urut = {a.npsn: ["nip_beda", "pns_id_beda", "unor_nonaktif", "atasan_beda", "status_honorer"],
                  b.npsn: ["bukan_pengguna_pmm", "belum_ekinerja", "unor_tanpa_induk"],
                  c.npsn: []}
    for sk, n in zip(sekolah, jumlah_guru):
        cacat = list(cacat_urut[sk.npsn])
        for i in range(n - (1 if sk is not c else 0)):
            status = statuses[i % len(statuses)]
            jabatan = "guru_bk" if i == 3 else "guru"
            o = tambah(f"guru-{sk.npsn[-1]}-{i + 1:02d}", sk, jabatan, status,
                       "guru BK" if jabatan == "guru_bk" else "guru")
            if o.nip and cacat and i >= 1:  # the first teacher of each school stays clean (the walkthrough's lead)
                o.cacat = cacat.pop(0)
    for o in orang:
        if cacat_pilihan and o.kunci in cacat_pilihan:
            o.cacat = cacat_pilihan[o.kunci]
    dinas_id = f"dinas-kota-harapan{sfx}"
    kadis = Orang("kadis", f"kadis-harapan{sfx}", "Drs. Hartono Wibisono", f"kadis.harapan@{dom}belajar.id",
                  "kepala_dinas", "pns", "", peran="Kepala Dinas Pendidikan")
    admin = Orang("admin", f"admin-bkd-harapan{sfx}", "Ratih Admin BKD", f"admin.bkd.harapan@{dom}belajar.id",
                  "admin_instansi", "pns", "", peran="Admin Instansi (BKD)")
    akun = []
    for o in orang:
        kanal = "UC" + _id_video("kanal", o.akun_youtube) + _id_video("kanal2", o.akun_youtube)[:11]
        akun.append({"id": o.akun_youtube, "email": o.email, "name": o.nama,
                     "channel": {"id": kanal, "title": f"Kelas {o.nama.split()[0]}", "description": "Kanal demo"},
                     "videos": _video_semua_keadaan(o.akun_youtube, o.nama.split()[0])})
    dunia = Dunia(akhiran, dinas_id, "Dinas Pendidikan Kota Harapan", f"bkd-kota-harapan{sfx}", kadis, admin,
                  sekolah, orang, akun)
    dunia.events = _events(dunia)
    return dunia


def _event(topic: str, producer: str, kunci: str, payload: EventPayload, akhiran: str) -> Event:
    """An event with a deterministic id (same world, same ids: loading twice is a no-op for the ledgers)."""
    versi = getattr(payload, "versi", 0)
    return Event(id=_h("demo", akhiran, topic, kunci, versi), source=f"{SOURCE_PREFIX}{producer}", type=topic,
                 subject=f"demo/{kunci}", data=payload)


def _events(d: Dunia) -> list[Event]:
    ev: list[Event] = []
    ak = d.akhiran
    sejak = datetime(2022, 7, 1, tzinfo=timezone.utc)
    ev.append(_event("referensi.dinas.diperbarui", "eksternal:dapodik", d.dinas_id, DinasDiperbarui(
        dinas_id=d.dinas_id, nama=d.dinas_nama, kepala_dinas_id=d.kadis.ptk_id, kepala_dinas_nama=d.kadis.nama,
        kepala_dinas_email_belajar_id=d.kadis.email, versi=1, diperbarui_pada=sejak), ak))
    for sk in d.sekolah:
        ev.append(_event("referensi.sekolah.diperbarui", "eksternal:dapodik", sk.npsn, SekolahDiperbarui(
            npsn=sk.npsn, nama=sk.nama, jenjang=sk.jenjang, dinas_id=d.dinas_id, kepala_sekolah_ptk_id=sk.ks,
            plt_ptk_id=sk.plt, versi=1, diperbarui_pada=sejak), ak))
        ev.append(_event("referensi.rapor.diterbitkan", "eksternal:rapor_pendidikan", sk.npsn, RaporDiterbitkan(
            npsn=sk.npsn, tahun=2026, versi=1, rekomendasi=[RekomendasiData(sub_indikator_id=s, prioritas=i + 1)
                                                            for i, s in enumerate(sk.rekomendasi)]), ak))
    atasan_nip = {}
    for sk in d.sekolah:
        pimpinan = next((o for o in d.orang if o.ptk_id in (sk.ks, sk.plt)), None)
        atasan_nip[sk.npsn] = pimpinan.nip if pimpinan else None
    nama_sekolah = {sk.npsn: sk.nama for sk in d.sekolah}
    for o in d.orang:
        ptk = dict(ptk_id=o.ptk_id, nama=o.nama, nip=o.nip, pns_id=o.pns_id, email_belajar_id=o.email,
                   npsn_induk=o.npsn, status_kepegawaian=o.status, jabatan=o.jabatan,
                   plt=[PenugasanPltData(npsn=n, nomor_sk=f"SK/PLT/{n}/2026") for n in o.plt],
                   versi=1, diperbarui_pada=sejak)
        siasn_nip = o.nip
        if o.cacat == "nip_beda":
            ptk["nip"] = o.nip[:-3] + f"{(int(o.nip[-3:]) + 500) % 999 + 1:03d}"
        if o.cacat == "pns_id_beda":
            ptk["pns_id"] = f"PNS-LAMA-{_h('lama', o.ptk_id, n=8).upper()}"
        if o.cacat == "status_honorer":
            ptk["status_kepegawaian"] = "honorer"
        ev.append(_event("referensi.ptk.diperbarui", "eksternal:dapodik", o.ptk_id, PtkDiperbarui(**ptk), ak))
        if not siasn_nip:
            continue
        unor_id = f"unor-{o.npsn}{'-' + ak if ak else ''}"
        unor = UnorData(id=unor_id, nama=nama_sekolah[o.npsn], aktif=o.cacat != "unor_nonaktif",
                        unor_atasan_id=None if o.cacat == "unor_tanpa_induk" else f"unor-{d.dinas_id}",
                        npsn=o.npsn)
        atasan = atasan_nip[o.npsn] if atasan_nip[o.npsn] != siasn_nip else None
        if o.cacat == "atasan_beda":
            atasan = "19700101199503" + "1001"
        ev.append(_event("referensi.pegawai.diperbarui", "eksternal:siasn", siasn_nip, PegawaiDiperbarui(
            nip=siasn_nip, pns_id=o.pns_id, nama=o.nama,
            status_kepegawaian={"pppk": "PPPK", "cpns": "CPNS"}.get(o.status, "PNS"), instansi_id=d.instansi_id,
            instansi_nama=INSTANSI_NAMA, unor=unor, unor_sejak=date(2022, 7, 1), atasan_nip=atasan, versi=1, diperbarui_pada=sejak), ak))
        ev.append(_event("referensi.pegawai_ekinerja.diperbarui", "eksternal:ekinerja", siasn_nip,
                         PegawaiEkinerjaDiperbarui(
                             nip=siasn_nip, terdaftar=o.cacat != "belum_ekinerja", instansi_id=d.instansi_id,
                             instansi_nama=INSTANSI_NAMA,
                             unor_id=None if o.cacat == "belum_ekinerja" else unor_id,
                             pengguna_pmm=o.cacat != "bukan_pengguna_pmm",
                             penugasan_plt=[PltEkinerjaData(unor_id=f"unor-{n}{'-' + ak if ak else ''}",
                                                            nama_unor=nama_sekolah.get(n)) for n in o.plt],
                             versi=1, diperbarui_pada=sejak), ak))
    # The definitive principal made the organisation SKP; the Plt. has not yet (#15 for SMPN 2's teachers).
    ks = d.cari("ks-sdn1")
    ev.append(_event("referensi.skp_organisasi.diperbarui", "eksternal:ekinerja", f"{ks.nip}/{PERIODE}",
                     SkpOrganisasiDiperbarui(atasan_nip=ks.nip, periode=PERIODE, ada=True, jumlah_rhk=3, versi=1,
                                             diperbarui_pada=sejak), ak))
    ev.append(_event("referensi.admin_instansi.diperbarui", "eksternal:ekinerja", d.admin.ptk_id,
                     AdminInstansiDiperbarui(admin_id=d.admin.ptk_id, email=d.admin.email, nama=d.admin.nama,
                                             instansi_ids=[d.instansi_id], versi=1, diperbarui_pada=sejak), ak))
    return ev


# --- loading into a running stack
def terbitkan(project: str, events: list[Event], progress=lambda line: None) -> None:
    """Publish to the Pub/Sub emulator (PUBSUB_EMULATOR_HOST must be set), waiting for every ack;
    a progress line per quarter acked (published so far / left)."""
    from google.cloud import pubsub_v1

    publisher = pubsub_v1.PublisherClient()
    futures = []
    for e in events:
        data, attributes = e.to_pubsub()
        futures.append(publisher.publish(publisher.topic_path(project, e.topic), data, **attributes))
    langkah = max(1, len(futures) // 4)
    for i, f in enumerate(futures, 1):
        f.result(timeout=60)
        if i % langkah == 0 or i == len(futures):
            progress(f"Demo: diterbitkan (published) {i}/{len(futures)} peristiwa, sisa (left) {len(futures) - i}")


def muat_youtube(google_url: str, akun: list[dict[str, Any]]) -> str:
    """Merge the channels into the Google stand-in, keeping every other account. Idempotent: when the
    stand-in already holds exactly these accounts nothing is posted (a post resets its tokens)."""
    data = requests.get(f"{google_url}/_admin/data", timeout=10).json()
    ada = {a["id"]: a for a in data.get("accounts", [])}

    def sama(a: dict[str, Any]) -> bool:
        b = ada.get(a["id"])
        if not b or b.get("channel") != a["channel"]:
            return False
        punya = {v["id"]: v for v in b.get("videos", [])}
        return len(punya) == len(a["videos"]) and all(
            v["id"] in punya and {k: punya[v["id"]].get(k) for k in v} == v for v in a["videos"])

    if all(sama(a) for a in akun):
        return "sudah ada (already there)"
    ids = {a["id"] for a in akun}
    data["accounts"] = [a for a in data.get("accounts", []) if a["id"] not in ids] + akun
    r = requests.post(f"{google_url}/_admin/data", json=data, timeout=30)
    r.raise_for_status()
    return f"{len(akun)} kanal dimuat (channels loaded)"


def tunggu_dikenali(base_url: str, token_untuk, dunia: Dunia, timeout: float = 120,
                    progress=lambda line: None, log_dir: Path | None = None) -> None:
    """Wait until the services applied the events: kinerja knows the principal, the Plt., a teacher
    of each school and the Kepala Dinas; sinkro knows the Admin Instansi. A progress line per check
    as it passes (applied so far / left) and every 10 s while one waits; on timeout the error names
    the service's log file (under `log_dir`) and its last lines."""
    cek = [("/v1/kinerja/saya", o) for o in [dunia.kadis, dunia.cari("ks-sdn1"), dunia.cari("plt-smpn2")]]
    cek += [("/v1/kinerja/saya", next(o for o in dunia.orang if o.npsn == sk.npsn and o.peran == "guru"))
            for sk in dunia.sekolah]
    cek.append(("/v1/sinkro/log/rekap", dunia.admin))
    started = time.monotonic()
    deadline, catat = started + timeout, started + 10
    for n, (path, o) in enumerate(cek, 1):
        headers = {"Authorization": f"Bearer {token_untuk(o)}"}
        layanan = path.split("/")[2]
        while True:
            r = requests.get(base_url + path, headers=headers, timeout=30)
            if r.status_code == 200:
                progress(f"Demo: diterapkan (applied) {n}/{len(cek)}: {layanan} mengenali {o.peran} "
                         f"({time.monotonic() - started:.1f} s), sisa (left) {len(cek) - n}")
                break
            now = time.monotonic()
            if now > deadline:
                from local.cloud import log_hint

                raise RuntimeError(f"{o.peran} ({o.sub}): {path} masih {r.status_code} setelah {timeout:.0f} detik "
                                   f"(still {r.status_code}): {r.text[:200]}"
                                   + (f"; {log_hint(log_dir / (layanan.replace('-', '_') + '.log'), 15)}"
                                      if log_dir else ""))
            if now >= catat:
                catat = now + 10
                progress(f"Demo: menunggu (waiting) {now - started:.0f} s: {layanan} belum mengenali {o.peran} "
                         f"({path} -> {r.status_code})")
            time.sleep(0.5)


def cetak_siapa(d: Dunia, out=sys.stdout) -> None:
    p = lambda s="": print(s, file=out)  # noqa: E731
    p(f"Dunia demo (demo world) — periode {PERIODE}; token: make token SUB=<sub> EMAIL=<email>")
    p(f"  {d.dinas_nama} ({d.dinas_id}); instansi BKD {d.instansi_id}")
    p(f"  {'peran (role)':<26} {'nama':<22} {'sub':<34} email")
    for o in (d.kadis, d.admin):
        p(f"  {o.peran:<26} {o.nama:<22} {o.sub:<34} {o.email}")
    for sk in d.sekolah:
        pimpinan = "kepala sekolah definitif" if sk.ks else "hanya Plt. (acting principal only)" if sk.plt else \
            "tanpa atasan di Dapodik (no superior)"
        p(f"\n  {sk.nama} (NPSN {sk.npsn}) — {pimpinan}; rekomendasi Rapor: {', '.join(sk.rekomendasi)}")
        for o in (x for x in d.orang if x.npsn == sk.npsn):
            extra = f" NIP {o.nip}" if o.nip else " (non-ASN)"
            p(f"  {o.peran:<26} {o.nama:<22} {o.sub:<34} {o.email}")
            p(f"  {'':<26} {o.status}{extra}; YouTube login_hint={o.akun_youtube}"
              + (f"; cacat data: {CACAT[o.cacat]}" if o.cacat else ""))
    p("\n  Setiap kanal YouTube punya video dalam setiap keadaan (every channel has a video in every state): "
      "publik, tidak publik, privat, tidak dapat disematkan, sedang diproses, gagal diproses, dihapus.")
    p("  Permintaan Kinerja untuk 2027-1 di lokal: header X-Pmm-Waktu-Uji, mis. 2027-01-11T09:00:00+07:00.")


def muat(cloud, dunia: Dunia | None = None, out=sys.stdout) -> Dunia:
    """Load the world into the running local stack `cloud` (a local.cloud.LocalCloud)."""
    from local.cloud import emulator_env
    from local.identity import mint

    dunia = dunia or bangun_dunia()
    env = cloud.platform_env()
    progress = lambda line: print(line, file=out, flush=True)  # noqa: E731
    with emulator_env(cloud):
        terbitkan(cloud.project, dunia.events, progress)
    print(f"Demo: {len(dunia.events)} peristiwa referensi diterbitkan (reference events published) ke Pub/Sub",
          file=out)
    print(f"Demo: YouTube stand-in: {muat_youtube(f'http://127.0.0.1:{cloud.ports.google}', dunia.akun_youtube)}",
          file=out)

    def token(o: Orang) -> str:
        return mint(cloud.local_dir, env["PMM_AUTH_ISSUER"], o.sub, o.email, audience=env["PMM_AUTH_AUDIENCE"])

    tunggu_dikenali(cloud.base_url, token, dunia, progress=progress, log_dir=cloud.state_dir / "logs")
    print("Demo: layanan sudah mengenali semua orang (the services know everyone).", file=out)
    return dunia


def cloud_dari_lingkungan(project: str | None = None):
    """The LocalCloud `make up` started (ports from PMM_PORT_*, project from --project or demo-pmm)."""
    from local.cloud import LocalCloud

    return LocalCloud(project=project or os.environ.get("PMM_DEMO_PROJECT", "demo-pmm"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.demo", description=__doc__.split("\n")[0])
    parser.add_argument("--siapa", action="store_true", help="only print who is who")
    parser.add_argument("--project", help="Pub/Sub project of the running stack (default demo-pmm)")
    args = parser.parse_args(argv)
    dunia = bangun_dunia()
    if not args.siapa:
        cloud = cloud_dari_lingkungan(args.project)
        try:
            requests.get(f"{cloud.base_url}/v1/kinerja/health", timeout=5).raise_for_status()
        except requests.RequestException:
            print(f"Tumpukan lokal tidak berjalan di {cloud.base_url} (the local stack is not running): "
                  "jalankan `make up` dahulu.", file=sys.stderr)
            return 2
        muat(cloud, dunia)
    cetak_siapa(dunia)
    return 0


if __name__ == "__main__":
    sys.exit(main())
