"""Local stand-in of BKN's e-Kinerja "Sinkro PMM" API, over real HTTP.

Speaks the protocol of `services/sinkro/sinkro/adapters/ekinerja.py` (see its
docstring) and answers the documented failures of SRC-BIMTEK-MAPPI on demand, per
pegawai (NIP):

    POST /api/v1/skp/sinkron        {nip, periode, versi, unor_id, rhk, perilaku, timpa_skp_lain}
    POST /api/v1/predikat/sinkron   {nip, periode, versi, predikat}
    POST /api/v1/plt/sinkron        {nip, periode, versi, penugasan}
      201 {"status": "diterima", "id_sinkron", "duplikat": false}  first acceptance
      200 same with "duplikat": true                                same nip+periode+versi again
      4xx/5xx {"kode_galat", "pesan", ...}

    POST /api/v1/skp                {nip, periode, ...}  an SKP typed in by hand in e-Kinerja
      422 #13 "Pengguna PMM tidak dapat menambah SKP setelah tahun 2023, ..." for a PMM user
      and a period from 2024 on (since then an SKP only comes from a PMM sync); 201 otherwise

Behaviour that needs no configuration: an API key off the whitelist answers #6
(403); a period not `YYYY-1|YYYY-2` from 2024 on answers #8 (422); an SKP
without `unor_id` answers #11; an SKP for a period already held under another
unor answers #12 (409) unless `timpa_skp_lain` (then the old one is replaced);
a predikat for a period without an SKP answers `skp_belum_ada_di_ekinerja`
(409; not #13, which is the hand-made SKP above).

Organisation SKPs (#15/#17): a principal's accepted SKP (`jabatan`
`kepala_sekolah`) creates the organisation SKP of (their NIP, periode) with as
many RHK as it carried, as e-Kinerja does. With `periksa_skp_organisasi` on,
a teacher's SKP whose `atasan_nip` has none answers #15, one with 0 RHK #17
(off by default: worlds that never sync their principal keep working).

Admin endpoints (local only, no key):

    PUT    /_admin/perilaku/<nip>  {"galat": "<kode_galat>", "status": 4xx/5xx,
                                    "gagal_kali": N,        # answer 500 N times, then behave (flapping)
                                    "batas_laju_kali": N, "retry_after": s,  # 429 + Retry-After N times
                                    "tunda_ms": ms, "tunda_kali": N|null,  # slow answers (first N, or all)
                                    "nilai_pmm": ..., "nilai_bkn": ..., "kondisi": ...}
    GET    /_admin/perilaku        DELETE /_admin/perilaku/<nip>
    GET    /_admin/diterima        every accepted send, counted per jenis+nip+periode+versi
    GET    /_admin/kedatangan      arrival time of every API request (checks a client's rate limit)
    PUT    /_admin/latensi         {"latensi_ms": 50}   default latency of every API answer
    PUT    /_admin/aturan          {"periksa_skp_organisasi": true}
    GET    /_admin/skp_organisasi  organisation SKPs held: [{nip, periode, jumlah_rhk}]
    PUT    /_admin/pengguna_pmm/<nip>  {"pengguna_pmm": false}   not a PMM user (manual SKP allowed)
    POST   /_admin/reset           forget sends and behaviours

A slow answer is slowed after the send is recorded, like a server that did
the work but answered late: a client that times out and resends must be
answered "duplikat", and `/_admin/diterima` shows `jumlah_diterima` 1 with
`jumlah_permintaan` 2.

    python -m local.standins.ekinerja --port 8090 --latency-ms 50 \
        [--api-key KEY ...] [--config perilaku.json]

The JSON config has the shape {"api_keys": [...], "latensi_ms": 50,
"perilaku": {"<nip>": {...as PUT above...}}}. The access log masks NIPs.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from flask import Flask, jsonify, request
from werkzeug.serving import WSGIRequestHandler, make_server

KUNCI_BAWAAN = "kunci-lokal-pmm"
PERIODE_PERTAMA = 2024  # Sinkro PMM feeds e-Kinerja since January 2024 (docs/requirements.md#s1)
_POLA_PERIODE = re.compile(r"^(\d{4})-([12])$")
_POLA_NIP = re.compile(r"\d{18}")

# kode_galat -> (HTTP status, message as e-Kinerja words it, SRC-BIMTEK-MAPPI slides 55-60)
GALAT_EKINERJA: dict[str, tuple[int, str]] = {
    "api_key_tidak_terdaftar": (403, "xApiKey does not exists in whitelist"),
    "periode_tidak_sesuai": (422, "Unexpected period value"),
    "galat_server_ekinerja": (500, "Request failed with status code 500"),
    "pegawai_belum_terdaftar_ekinerja": (
        422,
        "JavaScript Error: Type Error : cannot read properties of undefined(reading 'unor_id')",
    ),
    "unor_skp_berbeda": (409, "SKP yang ada memiliki Unor yang berbeda dengan Pegawai saat ini"),
    "skp_hanya_lewat_sinkro": (
        422,
        "Pengguna PMM tidak dapat menambah SKP setelah tahun 2023, silahkan buat SKP di PMM/sinkrodata PMM",
    ),
    "skp_belum_ada_di_ekinerja": (409, "SKP periode ini belum ada; sinkronkan SKP sebelum predikat"),
    "skp_organisasi_atasan_belum_ada": (422, "Data SKP Organisasi belum dibuat oleh atasan"),
    "rhk_tidak_dapat_dikaitkan": (422, "Tidak ada RHK yang bisa dikaitkan"),
    "terlalu_banyak_permintaan": (429, "Too Many Requests"),
}

JENIS = ("skp", "predikat", "plt")


@dataclass
class PerilakuPegawai:
    """How the stand-in answers one NIP."""

    galat: str | None = None
    status: int | None = None
    gagal_kali: int = 0
    batas_laju_kali: int = 0
    retry_after: int = 1
    tunda_ms: int = 0
    tunda_kali: int | None = None
    nilai_pmm: Any = None
    nilai_bkn: Any = None
    kondisi: str | None = None

    @classmethod
    def dari_json(cls, data: Any) -> "PerilakuPegawai":
        if not isinstance(data, dict):
            raise ValueError("perilaku harus objek JSON")
        tidak_dikenal = set(data) - set(cls.__dataclass_fields__)
        if tidak_dikenal:
            raise ValueError(f"kolom tidak dikenal: {sorted(tidak_dikenal)}")
        perilaku = cls(**data)
        for nama in ("gagal_kali", "tunda_ms", "batas_laju_kali", "retry_after"):
            nilai = getattr(perilaku, nama)
            if not isinstance(nilai, int) or nilai < 0:
                raise ValueError(f"{nama} harus bilangan bulat >= 0")
        if perilaku.tunda_kali is not None and (not isinstance(perilaku.tunda_kali, int) or perilaku.tunda_kali < 0):
            raise ValueError("tunda_kali harus bilangan bulat >= 0 atau null")
        if perilaku.status is not None and not (isinstance(perilaku.status, int) and 400 <= perilaku.status <= 599):
            raise ValueError("status harus 400-599")
        if perilaku.galat is not None and not (isinstance(perilaku.galat, str) and perilaku.galat):
            raise ValueError("galat harus kode_galat")
        return perilaku


@dataclass
class CatatanDiterima:
    jenis: str
    nip: str
    periode: str
    versi: int
    id_sinkron: str
    jumlah_diterima: int = 0
    jumlah_permintaan: int = 0
    badan: dict[str, Any] = field(default_factory=dict)


@dataclass
class KeadaanEkinerja:
    """All state of the stand-in; one lock, since the server is threaded."""

    api_keys: set[str] = field(default_factory=lambda: {KUNCI_BAWAAN})
    latensi_ms: int = 0
    perilaku: dict[str, PerilakuPegawai] = field(default_factory=dict)
    diterima: dict[tuple[str, str, str, int], CatatanDiterima] = field(default_factory=dict)
    skp: dict[tuple[str, str], str] = field(default_factory=dict)  # (nip, periode) -> unor_id held
    skp_organisasi: dict[tuple[str, str], int] = field(default_factory=dict)  # (principal nip, periode) -> RHK
    periksa_skp_organisasi: bool = False
    bukan_pengguna_pmm: set[str] = field(default_factory=set)
    kedatangan: list[float] = field(default_factory=list)  # arrival time (epoch s) of every API request
    kunci: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def dari_konfigurasi(cls, data: dict[str, Any]) -> "KeadaanEkinerja":
        keadaan = cls()
        if "api_keys" in data:
            keadaan.api_keys = set(data["api_keys"])
        keadaan.latensi_ms = int(data.get("latensi_ms", 0))
        keadaan.periksa_skp_organisasi = bool(data.get("periksa_skp_organisasi", False))
        for nip, perilaku in data.get("perilaku", {}).items():
            keadaan.perilaku[nip] = PerilakuPegawai.dari_json(perilaku)
        return keadaan


def _galat(kode: str, *, status: int | None = None, pesan: str | None = None, **tambahan: Any):
    status_bawaan, pesan_bawaan = GALAT_EKINERJA.get(kode, (422, kode))
    badan = {"kode_galat": kode, "pesan": pesan or pesan_bawaan}
    badan.update({k: v for k, v in tambahan.items() if v is not None})
    return jsonify(badan), status or status_bawaan


def buat_app(keadaan: KeadaanEkinerja | None = None) -> Flask:
    """The stand-in as a WSGI app; `app.config["KEADAAN"]` holds its state."""
    keadaan = keadaan or KeadaanEkinerja()
    app = Flask("ekinerja_standin")
    app.config["KEADAAN"] = keadaan

    @app.post("/api/v1/<jenis>/sinkron")
    def sinkron(jenis: str):
        if jenis not in JENIS:
            return _galat("jalur_tidak_dikenal", status=404, pesan="Not Found")
        with keadaan.kunci:
            keadaan.kedatangan.append(time.time())
        if keadaan.latensi_ms:
            time.sleep(keadaan.latensi_ms / 1000)
        if request.headers.get("x-api-key") not in keadaan.api_keys:
            return _galat("api_key_tidak_terdaftar")
        badan = request.get_json(silent=True)
        if not isinstance(badan, dict) or not isinstance(badan.get("nip"), str) or not isinstance(badan.get("versi"), int):
            return _galat("permintaan_tidak_valid", status=400, pesan="nip, periode dan versi wajib diisi")
        nip = badan["nip"]

        with keadaan.kunci:
            perilaku = keadaan.perilaku.get(nip)
            tunda = _ambil_tunda(perilaku)
            if perilaku and perilaku.gagal_kali > 0:
                perilaku.gagal_kali -= 1
                return _galat("galat_server_ekinerja")
            if perilaku and perilaku.batas_laju_kali > 0:
                perilaku.batas_laju_kali -= 1
                jawaban, status = _galat("terlalu_banyak_permintaan")
                jawaban.headers["Retry-After"] = str(perilaku.retry_after)
                return jawaban, status
            if perilaku and perilaku.galat:
                return _galat(
                    perilaku.galat,
                    status=perilaku.status,
                    nilai_pmm=perilaku.nilai_pmm,
                    nilai_bkn=perilaku.nilai_bkn,
                    kondisi=perilaku.kondisi,
                )
            penolakan = _periksa(keadaan, jenis, badan)
            if penolakan is not None:
                return penolakan
            catatan, baru = _catat(keadaan, jenis, badan)

        if tunda:
            time.sleep(tunda / 1000)  # after recording: the work is done, only the answer is late
        jawaban = {"status": "diterima", "id_sinkron": catatan.id_sinkron, "duplikat": not baru}
        return jsonify(jawaban), 201 if baru else 200

    @app.post("/api/v1/skp")
    def skp_manual():
        """An SKP typed in by hand in e-Kinerja (not through Sinkro PMM): #13 for a PMM user after 2023."""
        if request.headers.get("x-api-key") not in keadaan.api_keys:
            return _galat("api_key_tidak_terdaftar")
        badan = request.get_json(silent=True)
        if not isinstance(badan, dict) or not isinstance(badan.get("nip"), str):
            return _galat("permintaan_tidak_valid", status=400, pesan="nip dan periode wajib diisi")
        cocok = _POLA_PERIODE.match(str(badan.get("periode", "")))
        if not cocok:
            return _galat("periode_tidak_sesuai")
        with keadaan.kunci:
            pengguna_pmm = badan["nip"] not in keadaan.bukan_pengguna_pmm
        if pengguna_pmm and int(cocok.group(1)) > 2023:
            return _galat("skp_hanya_lewat_sinkro")
        return jsonify({"status": "diterima", "id_skp": uuid.uuid4().hex}), 201

    @app.put("/_admin/pengguna_pmm/<nip>")
    def atur_pengguna_pmm(nip: str):
        data = request.get_json(silent=True) or {}
        if not isinstance(data.get("pengguna_pmm"), bool):
            return jsonify({"kode_galat": "permintaan_tidak_valid", "pesan": "pengguna_pmm: true/false"}), 400
        with keadaan.kunci:
            (keadaan.bukan_pengguna_pmm.discard if data["pengguna_pmm"] else keadaan.bukan_pengguna_pmm.add)(nip)
        return jsonify({"nip": nip, "pengguna_pmm": data["pengguna_pmm"]})

    @app.put("/_admin/aturan")
    def atur_aturan():
        data = request.get_json(silent=True) or {}
        if not isinstance(data.get("periksa_skp_organisasi"), bool):
            return jsonify({"kode_galat": "permintaan_tidak_valid", "pesan": "periksa_skp_organisasi: true/false"}), 400
        keadaan.periksa_skp_organisasi = data["periksa_skp_organisasi"]
        return jsonify({"periksa_skp_organisasi": keadaan.periksa_skp_organisasi})

    @app.get("/_admin/skp_organisasi")
    def daftar_skp_organisasi():
        with keadaan.kunci:
            return jsonify({"skp_organisasi": [{"nip": n, "periode": p, "jumlah_rhk": j}
                                               for (n, p), j in keadaan.skp_organisasi.items()]})

    @app.put("/_admin/perilaku/<nip>")
    def atur_perilaku(nip: str):
        try:
            perilaku = PerilakuPegawai.dari_json(request.get_json(silent=True))
        except (TypeError, ValueError) as sebab:
            return jsonify({"kode_galat": "perilaku_tidak_valid", "pesan": str(sebab)}), 400
        with keadaan.kunci:
            keadaan.perilaku[nip] = perilaku
        return jsonify(asdict(perilaku))

    @app.delete("/_admin/perilaku/<nip>")
    def hapus_perilaku(nip: str):
        with keadaan.kunci:
            keadaan.perilaku.pop(nip, None)
        return "", 204

    @app.get("/_admin/perilaku")
    def daftar_perilaku():
        with keadaan.kunci:
            return jsonify({nip: asdict(p) for nip, p in keadaan.perilaku.items()})

    @app.get("/_admin/diterima")
    def daftar_diterima():
        with keadaan.kunci:
            daftar = [asdict(c) for c in keadaan.diterima.values()]
        return jsonify({"diterima": daftar})

    @app.put("/_admin/latensi")
    def atur_latensi():
        data = request.get_json(silent=True) or {}
        latensi = data.get("latensi_ms")
        if not isinstance(latensi, int) or latensi < 0:
            return jsonify({"kode_galat": "latensi_tidak_valid", "pesan": "latensi_ms >= 0"}), 400
        keadaan.latensi_ms = latensi
        return jsonify({"latensi_ms": latensi})

    @app.post("/_admin/reset")
    def reset():
        with keadaan.kunci:
            keadaan.perilaku.clear()
            keadaan.diterima.clear()
            keadaan.skp.clear()
            keadaan.skp_organisasi.clear()
            keadaan.bukan_pengguna_pmm.clear()
            keadaan.kedatangan.clear()
        return "", 204

    @app.get("/_admin/kedatangan")
    def daftar_kedatangan():
        """Arrival times of every API request, to check a client's rate limit from the outside."""
        with keadaan.kunci:
            return jsonify({"kedatangan": list(keadaan.kedatangan)})

    return app


def _ambil_tunda(perilaku: PerilakuPegawai | None) -> int:
    if perilaku is None or not perilaku.tunda_ms:
        return 0
    if perilaku.tunda_kali is None:
        return perilaku.tunda_ms
    if perilaku.tunda_kali > 0:
        perilaku.tunda_kali -= 1
        return perilaku.tunda_ms
    return 0


def _periksa(keadaan: KeadaanEkinerja, jenis: str, badan: dict[str, Any]):
    """e-Kinerja's own refusals; returns an error answer or None."""
    cocok = _POLA_PERIODE.match(str(badan.get("periode", "")))
    if not cocok or int(cocok.group(1)) < PERIODE_PERTAMA:
        return _galat("periode_tidak_sesuai")
    kunci_skp = (badan["nip"], badan["periode"])
    if jenis == "skp":
        unor_id = badan.get("unor_id")
        if not unor_id:
            return _galat("pegawai_belum_terdaftar_ekinerja")
        unor_lama = keadaan.skp.get(kunci_skp)
        if unor_lama is not None and unor_lama != unor_id and not badan.get("timpa_skp_lain"):
            return _galat("unor_skp_berbeda", nilai_pmm=unor_id, nilai_bkn=unor_lama)
        atasan = badan.get("atasan_nip")
        if keadaan.periksa_skp_organisasi and badan.get("jabatan") != "kepala_sekolah" and atasan:
            jumlah = keadaan.skp_organisasi.get((atasan, badan["periode"]))
            if jumlah is None:
                return _galat("skp_organisasi_atasan_belum_ada")
            if jumlah == 0:
                return _galat("rhk_tidak_dapat_dikaitkan", nilai_bkn=0)
    elif jenis == "predikat" and kunci_skp not in keadaan.skp:
        return _galat("skp_belum_ada_di_ekinerja")
    return None


def _catat(keadaan: KeadaanEkinerja, jenis: str, badan: dict[str, Any]) -> tuple[CatatanDiterima, bool]:
    kunci = (jenis, badan["nip"], badan["periode"], badan["versi"])
    catatan = keadaan.diterima.get(kunci)
    baru = catatan is None
    if catatan is None:
        catatan = keadaan.diterima[kunci] = CatatanDiterima(
            jenis=jenis,
            nip=badan["nip"],
            periode=badan["periode"],
            versi=badan["versi"],
            id_sinkron=uuid.uuid4().hex,
            jumlah_diterima=1,
            badan=badan,
        )
        if jenis == "skp":
            keadaan.skp[(badan["nip"], badan["periode"])] = badan["unor_id"]
            if badan.get("jabatan") == "kepala_sekolah":  # the principal's SKP is the organisation SKP (#15)
                keadaan.skp_organisasi[(badan["nip"], badan["periode"])] = len(badan.get("rhk") or [])
    catatan.jumlah_permintaan += 1
    return catatan, baru


class PenanganTanpaNip(WSGIRequestHandler):
    """werkzeug's access log with NIPs (18 digits) masked: personal data stays out of logs."""

    def log(self, type: str, message: str, *args: Any) -> None:
        teks = message % args if args else message
        super().log(type, "%s", _POLA_NIP.sub("<nip>", teks))


def buat_server(host: str, port: int, keadaan: KeadaanEkinerja | None = None):
    """A threaded werkzeug server for the stand-in; `port=0` picks a free port (`server.port`)."""
    return make_server(host, port, buat_app(keadaan), threaded=True, request_handler=PenanganTanpaNip)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Stand-in lokal e-Kinerja BKN (Sinkro PMM)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--latency-ms", type=int, default=None, help="latensi bawaan tiap jawaban API")
    parser.add_argument("--api-key", action="append", default=None, help="kunci API di whitelist (boleh berulang)")
    parser.add_argument("--config", help="berkas JSON: api_keys, latensi_ms, perilaku per NIP")
    args = parser.parse_args(argv)

    konfigurasi: dict[str, Any] = {}
    if args.config:
        with open(args.config, encoding="utf-8") as berkas:
            konfigurasi = json.load(berkas)
    keadaan = KeadaanEkinerja.dari_konfigurasi(konfigurasi)
    kunci_env = os.environ.get("EKINERJA_API_KEY")
    if args.api_key:
        keadaan.api_keys = set(args.api_key)
    elif kunci_env and "api_keys" not in konfigurasi:
        keadaan.api_keys = {kunci_env}
    if args.latency_ms is not None:
        keadaan.latensi_ms = args.latency_ms

    server = buat_server(args.host, args.port, keadaan)
    print(f"e-Kinerja stand-in di http://{args.host}:{server.port} ({len(keadaan.api_keys)} kunci API)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
