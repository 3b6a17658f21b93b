"""Partner keys rotate without a redeploy: two valid keys per partner, the whitelist read again every few minutes."""
import base64

from shared.identity import hash_api_key
from sinkro.adapters.kunci_mitra import SumberKunciMitra, nama_versi_rahasia, pembaca_secret_manager, urai_kunci_mitra

PEPPER = "garam-uji"
LAMA, BARU, LAIN = "kunci-lama", "kunci-baru", "kunci-ketiga"


def daftar(*kunci: str, mitra: str = "ekinerja") -> str:
    return ",".join(f"{mitra}={hash_api_key(k, PEPPER)}" for k in kunci)


class Jam:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def test_dua_kunci_satu_mitra_keduanya_sah_selama_rotasi():
    assert urai_kunci_mitra(daftar(LAMA, BARU))["ekinerja"] == (hash_api_key(LAMA, PEPPER), hash_api_key(BARU, PEPPER))
    sumber = SumberKunciMitra(lambda: daftar(LAMA, BARU), PEPPER)
    assert sumber.mitra_untuk(LAMA) == "ekinerja" and sumber.mitra_untuk(BARU) == "ekinerja"
    assert sumber.mitra_untuk(LAIN) is None


def test_daftar_dibaca_ulang_setelah_selang_tanpa_deploy_ulang():
    isi = {"v": daftar(LAMA)}
    jam = Jam()
    dibaca = []
    sumber = SumberKunciMitra(lambda: dibaca.append(1) or isi["v"], PEPPER, segar_detik=300, jam=jam)
    assert sumber.mitra_untuk(LAMA) == "ekinerja" and sumber.mitra_untuk(BARU) is None
    isi["v"] = daftar(LAMA, BARU)  # step 1 of a rotation: the new key's hash is added
    jam.t = 299
    assert sumber.mitra_untuk(BARU) is None and len(dibaca) == 1  # cached within the interval
    jam.t = 300
    assert sumber.mitra_untuk(BARU) == "ekinerja" and sumber.mitra_untuk(LAMA) == "ekinerja"
    isi["v"] = daftar(BARU)  # step 2: the old key is withdrawn
    jam.t = 600
    assert sumber.mitra_untuk(LAMA) is None and sumber.mitra_untuk(BARU) == "ekinerja"


def test_gagal_membaca_memakai_daftar_terakhir_lalu_mencoba_lagi():
    jam = Jam()
    hasil = [daftar(LAMA)]

    def baca():
        nilai = hasil[0]
        if isinstance(nilai, Exception):
            raise nilai
        return nilai

    sumber = SumberKunciMitra(baca, PEPPER, segar_detik=300, jam=jam)
    assert sumber.mitra_untuk(LAMA) == "ekinerja"
    hasil[0] = RuntimeError("Secret Manager tidak terjangkau")
    jam.t = 301
    assert sumber.mitra_untuk(LAMA) == "ekinerja"  # the partner is not locked out
    hasil[0] = daftar(BARU)
    jam.t = 301 + 31  # a failed read is retried sooner than the normal interval
    assert sumber.mitra_untuk(BARU) == "ekinerja"


def test_cadangan_lingkungan_bila_rahasia_belum_terbaca():
    def gagal():
        raise RuntimeError("x")

    assert SumberKunciMitra(gagal, PEPPER, cadangan=daftar(LAMA)).mitra_untuk(LAMA) == "ekinerja"


def test_nama_versi_rahasia_dan_pembaca_rest():
    assert nama_versi_rahasia("kunci-mitra", "pmm-prod") == "projects/pmm-prod/secrets/kunci-mitra/versions/latest"
    assert nama_versi_rahasia("projects/p/secrets/s", "x") == "projects/p/secrets/s/versions/latest"
    assert nama_versi_rahasia("projects/p/secrets/s/versions/3", "x") == "projects/p/secrets/s/versions/3"

    class Sesi:
        url = None

        def get(self, url, timeout):
            Sesi.url = url

            class Jawaban:
                def raise_for_status(self):
                    pass

                def json(self):
                    return {"name": "projects/p/secrets/s/versions/3",
                            "payload": {"data": base64.b64encode(daftar(LAMA).encode()).decode()}}
            return Jawaban()

    baca = pembaca_secret_manager("projects/p/secrets/s/versions/latest", session=Sesi())
    assert baca() == daftar(LAMA)
    assert Sesi.url == "https://secretmanager.googleapis.com/v1/projects/p/secrets/s/versions/latest:access"
