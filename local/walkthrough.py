"""The guided walkthrough: the whole mission told over HTTP against the running local stack.

    python -m local.walkthrough            # or: make walkthrough   (after `make up`)
    python -m local.walkthrough --bab karya,sinkro   # only some chapters

Step by step, in Indonesian with English in brackets, it prints what each actor does and what
comes back. Every run builds its own fresh cast (local/demo.py's world with a unique suffix,
loaded through the inbound reference events), so it works on a stack that already has data.
It stops with a clear message at the first failure (exit 1).

Chapters (bab) run when their service's routes exist (read from its OpenAPI document) and are
skipped with a note otherwise, so the story grows as the services land:
  karya       a teacher connects YouTube, picks and saves a video, shares it; a colleague opens it
  umpan_balik the colleague gives feedback; the owner reads the notification and the pie chart
  kinerja     plan, return, approve, agree; the four observation steps; (ratings, send to Dinas,
              organisation predicate, teacher predicates when those routes exist)
  sinkro      a sync fails with a documented error, the Admin Instansi recap, the fix through a
              reference event, the retry that succeeds
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import os
import sys
import time
import uuid
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

import requests

from local.demo import PERIODE, Dunia, Orang, bangun_dunia, terbitkan, tunggu_dikenali

JAN, FEB, MAR, JUN = ("2027-01-11T09:00:00+07:00", "2027-02-08T09:00:00+07:00", "2027-03-01T10:00:00+07:00",
                      "2027-06-07T09:00:00+07:00")
BAB = ["karya", "umpan_balik", "kinerja", "sinkro"]
PDF = b"%PDF-1.4\n% modul ajar demo\n" + b"0" * 2048


class Gagal(Exception):
    """A step did not get what the story expects."""


class Cerita:
    """Prints the story and talks to the gateway as the actors."""

    def __init__(self, cloud, out=sys.stdout) -> None:
        from local.identity import mint

        self.cloud, self.out = cloud, out
        self.base = cloud.base_url
        env = cloud.platform_env()
        self._mint = lambda o: mint(cloud.local_dir, env["PMM_AUTH_ISSUER"], o.sub, o.email,
                                    audience=env["PMM_AUTH_AUDIENCE"])
        self.langkah = 0
        self.sesi: dict[str, requests.Session] = {}

    # --- printing
    def judul(self, teks: str) -> None:
        print(f"\n=== {teks} ===", file=self.out, flush=True)

    def catat(self, teks: str) -> None:
        print(f"    {teks}", file=self.out, flush=True)

    def aksi(self, aktor: str, teks: str) -> None:
        self.langkah += 1
        print(f"\n[{self.langkah:02d}] {aktor}: {teks}", file=self.out, flush=True)

    # --- HTTP as an actor
    def token(self, o: Orang) -> str:
        return self._mint(o)

    def _sesi(self, o: Orang | None) -> requests.Session:
        key = o.sub if o else ""
        if key not in self.sesi:
            s = requests.Session()
            if o:
                s.headers["Authorization"] = f"Bearer {self.token(o)}"
            self.sesi[key] = s
        return self.sesi[key]

    def minta(self, o: Orang | None, method: str, path: str, *, harap: int | tuple[int, ...] = (200, 201),
              waktu: str | None = None, **kwargs) -> requests.Response:
        headers = kwargs.pop("headers", {}) | ({"X-Pmm-Waktu-Uji": waktu} if waktu else {})
        url = path if path.startswith("http") else self.base + path
        r = self._sesi(o).request(method, url, headers=headers, timeout=60, **kwargs)
        harap = (harap,) if isinstance(harap, int) else harap
        print(f"     → {method} {urlsplit(url).path} ← {r.status_code}", file=self.out, flush=True)
        if r.status_code not in harap:
            raise Gagal(f"{method} {urlsplit(url).path} menjawab {r.status_code}, diharapkan (expected) "
                        f"{'/'.join(map(str, harap))}: {r.text[:400]}")
        return r

    def json(self, *args, **kwargs) -> dict[str, Any]:
        return self.minta(*args, **kwargs).json()

    def tunggu(self, cek: Callable[[], Any], apa: str, timeout: float = 90, jeda: float = 0.5) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            hasil = cek()
            if hasil:
                return hasil
            if time.monotonic() > deadline:
                raise Gagal(f"menunggu {apa} lebih dari {timeout:.0f} detik (timed out waiting for {apa})")
            time.sleep(jeda)

    def rute(self, slug: str) -> set[str]:
        r = requests.get(f"{self.base}/v1/{slug}/openapi.json", timeout=30)
        return set(r.json().get("paths", {})) if r.status_code == 200 else set()


# --- chapter 0: the cast
def siapkan(c: Cerita, akhiran: str) -> Dunia:
    c.judul("Bab 0 — Para pemeran (the cast), dimuat lewat peristiwa referensi (loaded through reference events)")
    d = bangun_dunia(akhiran=akhiran, jumlah_guru=(3, 2, 1), cacat_pilihan={"guru-1-01": "pns_id_beda"})
    sd1 = d.sekolah[0]
    c.pemilik, c.rekan, c.ks = d.cari("guru-1-01"), d.cari("guru-1-02"), d.cari("ks-sdn1")
    c.aksi("Dapodik, SIASN, e-Kinerja, Rapor Pendidikan",
           f"menerbitkan {len(d.events)} peristiwa referensi ke Pub/Sub (publish reference events)")
    from local.cloud import emulator_env

    with emulator_env(c.cloud):
        terbitkan(c.cloud.project, d.events)
    c.catat(f"{d.dinas_nama}: Kepala Dinas {d.kadis.nama}; Admin Instansi {d.admin.nama} ({d.instansi_id})")
    c.catat(f"{sd1.nama} (NPSN {sd1.npsn}): kepala sekolah {c.ks.nama}; guru {c.pemilik.nama} "
            f"({c.pemilik.email}) dan rekan {c.rekan.nama}")
    c.catat(f"Cacat data yang disengaja (deliberate defect): PNS ID {c.pemilik.nama} di Dapodik berbeda dengan SIASN")
    c.aksi("Layanan (services)", "menerapkan peristiwa: kinerja dan sinkro mengenali semua orang (apply the events)")
    try:
        tunggu_dikenali(c.base, c.token, d)
    except RuntimeError as e:
        raise Gagal(str(e)) from None
    c.catat("semua pemeran dikenali (everyone is known)")
    return d


# --- karya
def bab_karya(c: Cerita, d: Dunia) -> None:
    c.judul("Bab 1 — Bukti Karya: impor video YouTube dan bagikan (import a YouTube video and share it)")
    g, rekan = c.pemilik, c.rekan
    c.aksi(g.nama, "klik \"Login dengan akun YouTube\" (start YouTube sign-in)")
    url = c.json(g, "POST", "/v1/karya/youtube/otorisasi", harap=201)["url_otorisasi"]
    c.catat(f"PMM mengarahkan ke Google (redirect to Google): {url.split('?')[0]}")
    c.aksi(g.nama, "menyetujui akses baca YouTube di layar Google (consents at Google; the stand-in)")
    r = requests.get(url + "&login_hint=akun-sari", allow_redirects=False, timeout=30)
    if r.status_code != 302:
        raise Gagal(f"layar persetujuan Google menjawab {r.status_code} (consent screen): {r.text[:300]}")
    q = {k: v[0] for k, v in parse_qs(urlsplit(r.headers["Location"]).query).items()}
    akun = c.json(g, "GET", "/v1/karya/youtube/callback", params=q, harap=201)
    c.catat(f"akun YouTube terhubung (connected): kanal \"{akun['judul_kanal']}\"")
    c.aksi(g.nama, "melihat daftar video unggahannya (lists the uploads)")
    daftar = c.json(g, "GET", f"/v1/karya/youtube/akun/{akun['id']}/video")["items"]
    for v in daftar[:6]:
        c.catat(f"{'✓' if v.get('dapat_dipilih') else '✗'} {v['video_id']}: {v.get('judul', '')}")
    c.aksi(g.nama, "memilih video SariPublik1 (picks a video; PMM checks it on YouTube)")
    draf = c.json(g, "POST", "/v1/karya/draf", json={"akun_youtube_id": akun["id"], "video_id": "SariPublik1"},
                  harap=201)
    c.aksi(g.nama, "mengisi judul, deskripsi, kategori, mapel, kelas, persetujuan, lalu \"Simpan Video\" (saves)")
    karya = c.json(g, "POST", f"/v1/karya/draf/{draf['id']}/simpan", harap=201, json={
        "judul": "Pecahan dengan kue", "deskripsi": "Murid kelas 4 belajar pecahan memakai kue.",
        "kategori": "praktik_pembelajaran", "mata_pelajaran": "matematika", "tingkat_kelas": "kelas_4",
        "persetujuan": True})
    c.catat(f"karya tersimpan (saved): {karya['id']} status={karya['status']}")
    putar = c.json(g, "GET", f"/v1/karya/saya/{karya['id']}/putar")
    c.catat(f"▶ diputar lewat (played through) {putar['url_embed']}")
    c.aksi(g.nama, "klik \"Bagikan Karya\" (shares by link)")
    tautan = c.json(g, "POST", f"/v1/karya/saya/{karya['id']}/tautan", harap=201)
    wa = next(m for m in tautan["pesan"] if m["kanal"] == "whatsapp")
    c.catat(f"tautan (link): {tautan['tautan']}")
    c.catat(f"pesan WhatsApp (message): {wa['teks'][:90]}…")
    token = tautan["tautan"].rsplit("/", 1)[1]
    c.aksi(rekan.nama, "membuka tautan dari rekannya (a colleague opens the link)")
    dibuka = c.json(rekan, "GET", f"/v1/karya/tautan/{token}")
    c.catat(f"melihat \"{dibuka['judul']}\", milik_saya={dibuka['milik_saya']}, pemutar {dibuka['putar']['url_embed']}")
    c.karya_id, c.tautan_token = karya["id"], token


# --- umpan balik
def bab_umpan_balik(c: Cerita, d: Dunia) -> None:
    c.judul("Bab 2 — Umpan Balik: rekan memberi umpan balik (a colleague gives feedback)")
    if not getattr(c, "karya_id", None):
        c.catat("dilewati: butuh karya dari Bab 1 (skipped: needs the karya of chapter 1)")
        return
    g, rekan, kid, token = c.pemilik, c.rekan, c.karya_id, c.tautan_token
    c.aksi(rekan.nama, "membuka kuesioner karya lewat tautannya (opens the questionnaire through the link: "
                       "the link is the key)")
    ambil = lambda: (r := c._sesi(rekan).get(f"{c.base}/v1/umpan-balik/tautan/{token}/kuesioner",  # noqa: E731
                                              timeout=30)).status_code == 200 and r.json()
    form = c.tunggu(ambil, "kuesioner (karya and link events reaching umpan_balik)")
    k = form["kuesioner"]
    c.catat(f"kuesioner {k.get('id', '')} v{k['versi']}: {len(k['pertanyaan'])} pertanyaan, "
            f"{len(k['tanggapan'])} tanggapan")
    jawaban = {q["id"]: q["pilihan"][i % len(q["pilihan"])]["id"] for i, q in enumerate(k["pertanyaan"])}
    tanggapan = {t["id"]: "Langkah-langkahnya jelas dan murid terlihat antusias." for t in k["tanggapan"]}
    c.aksi(rekan.nama, "mengisi kuesioner, tanggapan dan saran, lalu \"Kirim Umpan Balik\" (sends feedback)")
    kirim = c.json(rekan, "POST", f"/v1/umpan-balik/tautan/{token}/umpan-balik", harap=201, json={
        "versi_kuesioner": k["versi"], "jawaban": jawaban, "tanggapan": tanggapan,
        "saran": "Tambahkan refleksi singkat di akhir pelajaran."})
    c.catat(f"terkirim (sent) sebagai {kirim['umpan_balik']['pemberi_peran']}")
    c.aksi(g.nama, "membuka halaman notifikasi (opens notifications)")
    notif = c.tunggu(lambda: (n := c.json(g, "GET", "/v1/umpan-balik/notifikasi"))["belum_dibaca"] and n,
                     "notifikasi (notification)")
    n = notif["items"][0]
    c.catat(f"● {notif['belum_dibaca']} belum dibaca (unread, blue dot): umpan balik dari {n['pemberi_peran']} "
            f"untuk \"{n.get('karya_judul')}\"")
    dibuka = c.json(g, "POST", f"/v1/umpan-balik/notifikasi/{n['id']}/buka")
    c.catat(f"saran: \"{dibuka['umpan_balik']['saran']}\" dari {dibuka['umpan_balik'].get('pemberi_nama')}")
    c.aksi(g.nama, "klik \"Lihat Analisa Kuesioner\" (opens the questionnaire analysis)")
    analisa = c.json(g, "GET", f"/v1/umpan-balik/saya/karya/{kid}/analisa")
    versi = analisa["kuesioner"][0]
    for q in versi["pertanyaan"][:3]:
        c.catat(f"{q['nomor']}. {q['teks'][:60]} — " + ", ".join(f"{p['teks'][:25]} {p['persen_teks']}"
                                                               for p in q["pilihan"] if p["jumlah"]))
    svg = c.minta(g, "GET", versi["pertanyaan"][0]["diagram_svg"])
    if not svg.headers.get("Content-Type", "").startswith("image/svg+xml"):
        raise Gagal("diagram lingkaran bukan SVG (pie chart is not SVG)")
    c.catat(f"diagram lingkaran (pie chart): image/svg+xml, {len(svg.content)} bytes")


# --- kinerja
def _unggah(c: Cerita, o: Orang, body: dict[str, Any], waktu: str) -> dict[str, Any]:
    tiket = c.json(o, "POST", "/v1/kinerja/berkas", json=body, waktu=waktu, harap=201)
    put = requests.put(tiket["unggah"]["url"], data=PDF, headers=tiket["unggah"]["headers"], timeout=30)
    if put.status_code != 200:
        raise Gagal(f"unggah ke penyimpanan (upload to the object store) {put.status_code}: {put.text[:200]}")
    return c.json(o, "POST", f"/v1/kinerja/berkas/{tiket['berkas']['berkas_id']}/konfirmasi",
                  json={"versi": tiket["versi"]}, waktu=waktu)


def bab_kinerja(c: Cerita, d: Dunia) -> None:
    c.judul(f"Bab 3 — Pengelolaan Kinerja periode {PERIODE} (the performance cycle)")
    g, ks, K = c.pemilik, c.ks, "/v1/kinerja"
    c.aksi(g.nama, "Cek Data: profil dari Dapodik (checks the Dapodik profile)")
    saya = c.json(g, "GET", f"{K}/saya")
    c.catat(f"peran {saya['peran']}, ptk {saya['ptk_id']}")
    c.aksi(g.nama, f"membuka siklus {PERIODE} (opens the cycle; January)")
    awal = c.json(g, "POST", f"{K}/siklus", json={"periode": PERIODE}, waktu=JAN, harap=201)["rencana"]
    rid, v = awal["rencana"]["rencana_id"], awal["versi"]
    v = c.json(g, "PUT", f"{K}/rencana/{rid}/cek-data", json={"versi": v}, waktu=JAN)["versi"]
    pilihan = c.json(g, "GET", f"{K}/rencana/{rid}/pilihan-praktik")["pilihan"]
    c.catat("rekomendasi Rapor Pendidikan (recommended first): " + ", ".join(
        f"{p['sub_indikator_id']}{'*' if p['direkomendasikan'] else ''}" for p in pilihan[:4]))
    c.aksi(g.nama, f"menyusun rencana: praktik kinerja {pilihan[0]['sub_indikator_id']}, pengembangan kompetensi "
                   "44 poin, tugas tambahan, perilaku kerja, rangkuman (writes the plan)")
    v = c.json(g, "PUT", f"{K}/rencana/{rid}/praktik-kinerja", json={"versi": v, "sub_indikator_id":
                                                                     pilihan[0]["sub_indikator_id"]}, waktu=JAN)["versi"]
    v = c.json(g, "PUT", f"{K}/rencana/{rid}/pengembangan-kompetensi", waktu=JAN, json={"versi": v, "kegiatan": [
        {"kegiatan_id": "pelatihan_mandiri_aksi_nyata", "materi_id": "pm-disiplin-positif"},
        {"kegiatan_id": "pemimpin_komunitas_belajar"}]})["versi"]
    v = c.json(g, "PUT", f"{K}/rencana/{rid}/tugas-tambahan", waktu=JAN, json={"versi": v, "tugas": [
        {"tugas_id": "kepala_perpustakaan", "nomor_sk": "SK/001/2027"}]})["versi"]
    v = c.json(g, "PUT", f"{K}/rencana/{rid}/perilaku-kerja", json={"versi": v, "nilai_ids": ["kompeten",
                                                                                            "kolaboratif"]},
               waktu=JAN)["versi"]
    v = c.json(g, "PUT", f"{K}/rencana/{rid}/rangkuman", json={"versi": v, "rangkuman": "Disiplin positif."},
               waktu=JAN)["versi"]
    c.aksi(g.nama, "klik \"Lanjut Ajukan\" ke atasan (submits to the principal)")
    r = c.json(g, "POST", f"{K}/rencana/{rid}/ajukan", json={"versi": v}, waktu=JAN)
    c.catat(f"status {r['rencana']['status']}, atasan {r['rencana']['atasan']['jenis']}")
    c.aksi(ks.nama, "melihat kotak persetujuan dan mengembalikan rencana dengan catatan (returns it with a note)")
    kotak = c.json(ks, "GET", f"{K}/persetujuan")["rencana"]
    c.catat(f"{len(kotak)} rencana menunggu (waiting)")
    r = c.json(ks, "POST", f"{K}/rencana/{rid}/kembalikan", json={"versi": r["versi"], "catatan":
                                                                  "Lengkapi rangkuman dengan target kelas."}, waktu=JAN)
    c.catat(f"status {r['rencana']['status']}: \"{r['rencana']['riwayat'][-1]['catatan']}\"")
    c.aksi(g.nama, "memperbaiki rangkuman dan mengajukan lagi (edits and submits again)")
    v = c.json(g, "PUT", f"{K}/rencana/{rid}/rangkuman", waktu=JAN, json={
        "versi": r["versi"], "rangkuman": "Disiplin positif; target: kelas 4 tertib dalam 8 minggu."})["versi"]
    r = c.json(g, "POST", f"{K}/rencana/{rid}/ajukan", json={"versi": v}, waktu=JAN)
    c.aksi(ks.nama, "menyetujui setelah dialog kinerja (approves)")
    r = c.json(ks, "POST", f"{K}/rencana/{rid}/setujui", json={"versi": r["versi"], "catatan": "Disetujui."}, waktu=JAN)
    c.aksi(g.nama, "menyepakati rencana: kini menjadi SKP (agrees: now it is the SKP)")
    r = c.json(g, "POST", f"{K}/rencana/{rid}/sepakati", json={"versi": r["versi"]}, waktu=JAN)
    c.catat(f"status {r['rencana']['status']}; riwayat: {' → '.join(e['aksi'] for e in r['rencana']['riwayat'])}")
    c.catat("peristiwa kinerja.rencana.disepakati terbit (event published) → Sinkro PMM")

    c.judul("Bab 3b — Observasi praktik kinerja: empat langkah berurutan (four observation steps in order)")
    pid = rid
    p = c.json(g, "GET", f"{K}/pelaksanaan/{pid}")
    fokus = [f["id"] for f in p["rubrik_observasi"]]
    c.aksi(g.nama, "Langkah 1 — Dokumen Persiapan: unggah RPP, isi target dan jadwal, \"Kumpulkan\" (February)")
    md5 = base64.b64encode(hashlib.md5(PDF).digest()).decode()
    rpp = _unggah(c, g, {"tujuan": "rpp_modul_ajar", "siklus_id": pid, "nama_berkas": "modul.pdf",
                         "jenis": "application/pdf", "ukuran": len(PDF), "md5_base64": md5}, FEB)
    isian = {"target_perilaku_ids": [fokus[0]], "upaya": "Menyusun kesepakatan kelas bersama murid.",
             "jadwal_observasi": MAR, "rpp_berkas_id": rpp["berkas"]["berkas_id"]}
    p = c.json(g, "POST", f"{K}/pelaksanaan/{pid}/persiapan/kumpulkan", json={"versi": p["versi"], "isian": isian},
               waktu=FEB)
    c.aksi(ks.nama, "menyepakati jadwal observasi (agrees the observation schedule)")
    p = c.json(ks, "POST", f"{K}/pelaksanaan/{pid}/jadwal", json={"versi": p["versi"]}, waktu=FEB)
    c.catat(f"progres {p['progres_persen']}%")
    c.aksi(ks.nama, "Langkah 2 — Observasi Kelas: mencatat hasil dan rekomendasi (observes the class; March)")
    hasil = {fokus[0]: "dilakukan_belum_efektif", fokus[1]: "dilakukan_efektif", fokus[2]: "belum_dilakukan"}
    p = c.json(ks, "POST", f"{K}/pelaksanaan/{pid}/observasi", waktu=MAR,
               json={"versi": p["versi"], "hasil": hasil, "rekomendasi": "Perkuat rutinitas awal pelajaran."})
    rincian = c.json(g, "GET", f"{K}/pelaksanaan/{pid}/observasi")
    c.catat(f"{g.nama} klik \"Cek Rincian\": {rincian['keterangan'][:80]}")
    c.aksi(g.nama, "Langkah 3 — Dokumen Tindak Lanjut (follow-up document)")
    p = c.json(g, "POST", f"{K}/pelaksanaan/{pid}/tindak-lanjut/kumpulkan", waktu=MAR, json={
        "versi": p["versi"], "isian": {"tantangan": "Murid sulit fokus.", "tujuan_ids": ["menerapkan_perilaku_dianjurkan"],
                                       "materi_pmm_ids": ["pm-disiplin-positif"], "periode_belajar": "Maret-April",
                                       "dukungan_ids": ["diskusi_kepala_sekolah"]}})
    c.aksi(g.nama, "Langkah 4 — Refleksi Tindak Lanjut (reflection; June)")
    p = c.json(g, "POST", f"{K}/pelaksanaan/{pid}/refleksi/kumpulkan", waktu=JUN,
               json={"versi": p["versi"], "isian": {"refleksi": "Kelas lebih tertib setelah kesepakatan kelas."}})
    c.aksi(ks.nama, "menilai tindak lanjut (assesses the follow-up)")
    p = c.json(ks, "POST", f"{K}/pelaksanaan/{pid}/penilaian-tindak-lanjut", waktu=JUN,
               json={"versi": p["versi"], "hasil": {f: "dilakukan_efektif" for f in fokus}, "rekomendasi": "Baik."})
    c.catat(f"progres observasi {p['progres_persen']}% (all four steps done)")
    c.rencana_id = rid
    bab_penilaian(c, d)


def bab_penilaian(c: Cerita, d: Dunia) -> None:
    """Ratings, send to the Dinas, organisation predicate, teacher predicates (P10-P12): kinerja II."""
    c.judul("Bab 3c — Penilaian dan predikat (ratings, send to Dinas, predicates)")
    rute = c.rute("kinerja")
    if not any("predikat" in r or "penilaian/" in r or "/rating" in r for r in rute):
        c.catat("dilewati: rute penilaian dan predikat belum ada di layanan kinerja "
                "(skipped: the ratings and predicate routes have not landed yet)")
        return
    g, ks, kadis, K = c.pemilik, c.ks, d.kadis, "/v1/kinerja"
    npsn, q = d.sekolah[0].npsn, {"periode": PERIODE}
    c.aksi(ks.nama, "membuka halaman Penilaian Kinerja sekolah (opens the school's assessment page; June)")
    h = c.json(ks, "GET", f"{K}/sekolah/{npsn}/penilaian", params=q, waktu=JUN)
    baris = next(b for b in h["guru"] if b["ptk_id"] == g.ptk_id)
    c.catat(f"masa penilaian {h['jendela_penilaian']['mulai']} s.d. {h['jendela_penilaian']['selesai']}; "
            f"{g.nama}: poin kompetensi {baris['poin_kompetensi']} (terlihat, bukan penentu / visible, not decisive)")
    c.aksi(ks.nama, "memberi Rating Hasil Kerja dan Rating Perilaku Kerja: Sesuai Ekspektasi (rates the teacher)")
    pn = c.json(ks, "PUT", f"{K}/penilaian/{baris['siklus_id']}", waktu=JUN, json={
        "versi": baris["penilaian_versi"], "rating_hasil_kerja": "sesuai_ekspektasi",
        "rating_perilaku_kerja": "sesuai_ekspektasi", "catatan_hasil_kerja": "Target kelas tercapai."})
    c.catat(f"rating tersimpan (saved), versi {pn.get('versi')}")
    c.aksi(ks.nama, "mencentang panduan, menulis penjelasan, lalu \"Kirim Data\" ke Dinas (sends to the Dinas once)")
    k = c.json(ks, "PUT", f"{K}/sekolah/{npsn}/periode/{PERIODE}/kiriman", waktu=JUN, json={
        "versi": h["pengiriman"]["versi"], "panduan_dicentang": [p["id"] for p in h["panduan"]],
        "penjelasan": "Data penilaian semester 1 sudah diperiksa."})
    kirim = c.json(ks, "POST", f"{K}/sekolah/{npsn}/periode/{PERIODE}/kiriman/kirim", waktu=JUN, json={
        "versi": k["pengiriman"]["versi"], "konfirmasi": True, "penjelasan": "Data penilaian semester 1 sudah benar."})
    c.catat(f"terkirim (sent): {len(kirim.get('terkirim') or [])} penilaian")
    c.aksi(kadis.nama, "melihat data sekolah dan menetapkan Predikat Kinerja Organisasi: Istimewa (sets the "
                       "school's organisation predicate)")
    dinas = c.json(kadis, "GET", f"{K}/dinas/sekolah/{npsn}/penilaian", params=q, waktu=JUN)
    versi_org = dinas["predikat_organisasi_versi"]
    org = c.json(kadis, "PUT", f"{K}/sekolah/{npsn}/periode/{PERIODE}/predikat-organisasi", waktu=JUN,
                 json={"versi": versi_org, "predikat": "istimewa"})
    c.catat(f"Predikat Kinerja Organisasi: {org['label']}")
    c.aksi(ks.nama, "menetapkan Predikat Kinerja guru dari isian awal matriks (sets teacher predicates from the matrix)")
    h = c.json(ks, "GET", f"{K}/sekolah/{npsn}/penilaian", params=q, waktu=JUN)
    tetap = c.json(ks, "PUT", f"{K}/sekolah/{npsn}/periode/{PERIODE}/predikat", waktu=JUN, json={
        "versi": h["penetapan_versi"], "predikat": [{"pegawai_id": g.ptk_id}]})
    entri = tetap["entri"]
    for kunci, isi in (entri.items() if isinstance(entri, dict) else enumerate(entri)):
        c.catat(f"{kunci}: {isi if not isinstance(isi, dict) else isi.get('predikat', isi)}")
    c.catat("peristiwa kinerja.predikat.ditetapkan terbit (event published) → Sinkro PMM")


# --- sinkro
def bab_sinkro(c: Cerita, d: Dunia) -> None:
    c.judul("Bab 4 — Sinkro PMM ke e-Kinerja (sync to BKN's e-Kinerja)")
    if not getattr(c, "rencana_id", None):
        c.catat("dilewati: butuh SKP yang disepakati dari Bab 3 (skipped: needs the agreed plan of chapter 3)")
        return
    g, adm = c.pemilik, d.admin
    body = {"jenis": "skp", "periode": PERIODE}

    def riwayat():
        r = c._sesi(g).get(f"{c.base}/v1/sinkro/riwayat", params={"jenis": "skp", "periode": PERIODE, "batas": 1},
                           timeout=30)
        return r.json()["butir"] if r.status_code == 200 else []

    c.aksi("Sinkro PMM", "menerima SKP yang disepakati lewat peristiwa (receives the agreed SKP by event)")

    def sudah_ada_skp():  # the dry run answers #2 until the kinerja event has reached the sinkro mirror
        r = c._sesi(g).post(f"{c.base}/v1/sinkro/sinkronisasi/periksa", json=body, timeout=30)
        if r.status_code == 429:  # the user's sync budget (PMM_BATAS_SINKRO_MENIT): wait as the answer says
            time.sleep(min(int(r.headers.get("Retry-After", "5")), 60))
            return False
        return r.json().get("nomor_galat") != 2 and (r.status_code, r.json().get("nomor_galat"))
    # every check counts against the user's per-minute sync budget: ask as a person would, not twice a second
    status, nomor = c.tunggu(sudah_ada_skp, "SKP di cermin sinkro (the SKP reaching sinkro)", timeout=150, jeda=3)
    c.catat(f"SKP sudah diterima Sinkro PMM; pemeriksaan awal (dry run) ← {status}"
            + (f", galat #{nomor}" if nomor else ""))
    c.aksi(g.nama, "klik \"Sinkro PMM\" (syncs the SKP)")
    r = c.minta(g, "POST", "/v1/sinkro/sinkronisasi", json=body, harap=422)
    gagal = r.json()
    if gagal.get("nomor_galat") != 10:
        raise Gagal(f"diharapkan galat #10 (expected error #10), dapat {gagal}")
    c.catat(f"galat #{gagal['nomor_galat']} {gagal['kode']}: {gagal['pesan']}")
    c.catat(f"pelaku (who acts): {gagal['aktor']}; tindak lanjut: {gagal['tindak_lanjut'][0][:100]}")
    c.catat(f"nilai PMM {gagal.get('nilai_pmm')} vs BKN {gagal.get('nilai_bkn')}")
    c.aksi(adm.nama, "membuka rekap Log Sinkronisasi PMM instansinya (opens the Admin Instansi recap)")
    rekap = c.json(adm, "GET", "/v1/sinkro/log/rekap")
    for b in rekap["baris"]:
        c.catat(f"#{b['nomor_galat']}: {b['jumlah_percobaan']} percobaan, {b['jumlah_pegawai']} pegawai, "
                f"pelaku {b['aktor']}")
    if not any(b["nomor_galat"] == 10 for b in rekap["baris"]):
        raise Gagal("rekap tidak memuat galat #10 (the recap lacks error #10)")
    c.aksi("Operator Sekolah", "memperbaiki PNS ID di Dapodik → peristiwa referensi.ptk.diperbarui versi 2 "
                               "(fixes Dapodik: a reference event)")
    from local.cloud import emulator_env
    from local.demo import _event
    from shared.contracts.referensi_dapodik import PtkDiperbarui

    ptk = next(e for e in d.events if e.topic == "referensi.ptk.diperbarui" and e.data.ptk_id == g.ptk_id)
    fix = _event("referensi.ptk.diperbarui", "eksternal:dapodik", g.ptk_id, PtkDiperbarui(
        **(ptk.data.model_dump() | {"pns_id": g.pns_id, "versi": ptk.data.versi + 1})), d.akhiran)
    with emulator_env(c.cloud):
        terbitkan(c.cloud.project, [fix])
    c.aksi("Sinkro PMM", "mencoba ulang sendiri setelah data diperbaiki (retries by itself after the fix)")
    try:
        entri = c.tunggu(lambda: (b := riwayat()) and b[0]["hasil"] == "berhasil" and b[0], "ulang otomatis",
                         timeout=45)
        c.catat(f"percobaan ulang otomatis (automatic retry): {entri['hasil']} oleh {entri['pelaku']['peran']}")
    except Gagal:
        c.catat("belum ada ulang otomatis; guru mencoba lagi (no automatic retry yet; the teacher retries)")
    c.aksi(g.nama, "klik \"Sinkro PMM\" lagi (syncs again)")
    ulang = c.json(g, "POST", "/v1/sinkro/sinkronisasi", json=body, harap=200)
    if ulang["hasil"] not in ("berhasil", "sudah_terkirim"):
        raise Gagal(f"sinkronisasi ulang tidak berhasil (retry did not succeed): {ulang}")
    c.catat(f"hasil: {ulang['hasil']} — SKP sudah ada di e-Kinerja (the SKP is in e-Kinerja)")
    terakhir = riwayat()[0]
    c.catat(f"riwayat terbaru (latest history): {terakhir['hasil']}")


BAB_FUNGSI: dict[str, tuple[str, Callable[[Cerita, Dunia], None], str]] = {
    "karya": ("karya", bab_karya, "/v1/karya/youtube/otorisasi"),
    "umpan_balik": ("umpan-balik", bab_umpan_balik, "/v1/umpan-balik/tautan/{token}/umpan-balik"),
    "kinerja": ("kinerja", bab_kinerja, "/v1/kinerja/rencana/{rencana_id}/sepakati"),
    "sinkro": ("sinkro", bab_sinkro, "/v1/sinkro/sinkronisasi"),
}


def jalankan(cloud, bab: list[str] | None = None, out=sys.stdout, akhiran: str | None = None) -> int:
    """Run the story; 0 when every chapter that has landed ran, 1 at the first failure."""
    c = Cerita(cloud, out)
    akhiran = akhiran or uuid.uuid4().hex[:8]
    print(f"Jalan-jalan PMM Guru (walkthrough) di {cloud.base_url}, kode jalan (run id) {akhiran}", file=out)
    try:
        for slug in ("karya", "umpan-balik", "kinerja", "sinkro"):
            r = requests.get(f"{cloud.base_url}/v1/{slug}/health", timeout=10)
            if r.status_code != 200:
                raise Gagal(f"layanan {slug} tidak sehat (not healthy): {r.status_code}")
        d = siapkan(c, akhiran)
        for nama in bab or BAB:
            slug, fungsi, rute_wajib = BAB_FUNGSI[nama]
            if rute_wajib not in c.rute(slug):
                c.judul(f"Bab {nama}")
                c.catat(f"dilewati: layanan {slug} belum punya rute {rute_wajib} (skipped: not landed yet)")
                continue
            fungsi(c, d)
    except Gagal as e:
        print(f"\n✗ BERHENTI di langkah {c.langkah} (stopped at step {c.langkah}): {e}", file=out, flush=True)
        return 1
    except (KeyError, IndexError, TypeError, ValueError, AttributeError, StopIteration) as e:
        print(f"\n✗ BERHENTI di langkah {c.langkah} (stopped at step {c.langkah}): jawaban tidak seperti yang "
              f"diharapkan (unexpected answer): {type(e).__name__}: {e}", file=out, flush=True)
        return 1
    except requests.RequestException as e:
        print(f"\n✗ BERHENTI: tumpukan lokal tidak dapat dihubungi (the local stack is unreachable): {e}\n"
              "  Jalankan `make up` dahulu (run `make up` first).", file=out, flush=True)
        return 1
    print(f"\n✓ Selesai (done): {c.langkah} langkah. Jelajahi API di {cloud.base_url}/ (explore the APIs).",
          file=out, flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    from local.demo import cloud_dari_lingkungan

    parser = argparse.ArgumentParser(prog="python -m local.walkthrough", description=__doc__.split("\n")[0])
    parser.add_argument("--bab", help=f"comma list of chapters ({','.join(BAB)}); default all")
    parser.add_argument("--project", help="Pub/Sub project of the running stack (default demo-pmm)")
    args = parser.parse_args(argv)
    bab = [b.strip() for b in args.bab.split(",")] if args.bab else None
    if bab and (unknown := set(bab) - set(BAB)):
        parser.error(f"unknown chapter(s): {', '.join(sorted(unknown))}")
    return jalankan(cloud_dari_lingkungan(args.project or os.environ.get("PMM_DEMO_PROJECT")), bab)


if __name__ == "__main__":
    sys.exit(main())
