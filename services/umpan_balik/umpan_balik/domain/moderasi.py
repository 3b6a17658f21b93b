"""Content moderation of feedback texts: no SARA insults, no hate speech (U3).

SRC-BUKTI-KARYA (III.4): "umpan balik yang diisi dapat dilihat oleh rekan guru yang
lain. Maka pastikan umpan balik yang Anda berikan tidak mengandung SARA dan
ujaran kebencian." A text is refused before anything is stored, with a message
that names the category without echoing the offending word.

The words live in `umpan_balik/data/leksikon_moderasi.json` (source noted
there). Matching is on whole tokens after normalisation, so ordinary words that
merely contain a slur ("kelingking", "kapiler", "Niger") pass, and known
legitimate phrases ("kafir Quraisy", "Rio Negro") are allowlisted.

Normalisation, in order:
1. NFKC (fullwidth, mathematical letters, ligatures), casefold, common
   Cyrillic/Greek homoglyphs, diacritics removed, invisible format characters
   (zero-width space/joiner, soft hyphen) removed.
2. Tokens are runs of letters, digits and the leetspeak symbols @ $; ! | * count
   inside a word only ("kaf!r", "k*fir").
3. Runs of three or more single characters separated by spaces or punctuation
   are joined ("k a f i r", "k.a.f.i.r", "c-i-n-a").
4. Leetspeak in tokens that contain a letter: 4→a 3→e 0→o 5→s 7→t @→a $→s
   9→g 6→g 8→b; 1 ! | → i or l (both tried). Digits-only tokens stay ("kelas 5").
   A trailing reduplication "2" is dropped ("kafir2" = "kafir-kafir").
5. Enclitic suffixes -nya -lah -kah -pun -mu -ku are tried off.
6. Repeated letters: a token matches a word if it has the same letters in the
   same order with each run at least as long ("kaaafiiir" ~ "kafir"), so that
   "Niger" still differs from the English slur with a double g.
7. "*" inside a word stands for one hidden letter ("k*fir"), when at least
   three letters are visible.
"""
from __future__ import annotations

import itertools
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Literal

from shared.errors import DomainError
from shared.models import FrozenModel

# Letters that look like Latin ones but survive NFKC (Cyrillic, Greek, a few
# Latin letters without a decomposition).
_HOMOGLIF = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j",
        "ѕ": "s", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ь": "b", "г": "r", "п": "n",
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
        "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ω": "w", "μ": "u",
        "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ƒ": "f",
    }
)
_LEET_PASTI = {"4": "a", "3": "e", "0": "o", "5": "s", "7": "t", "@": "a", "$": "s",
               "9": "g", "6": "g", "8": "b"}
_LEET_AMBIGU = {"1": "il", "!": "il", "|": "il"}
_MAKS_POSISI_AMBIGU = 4  # 2**4 variants at most per token
_AKHIRAN = ("nya", "lah", "kah", "pun", "mu", "ku")
_TOKEN = re.compile(r"[a-z0-9@$]+(?:[!|*]+[a-z0-9@$]+)*")
_PEMISAH_HURUF = re.compile(r"^[\s.\-_,*/\\+~·•'\"]{1,3}$")
_AKHIR_KLAUSA = re.compile(r"[.!?;:,\n\"“”()]")
_KATA_GANTI = frozenset({"kamu", "kau", "lu", "lo", "elu", "dia", "kalian", "mereka", "anda"})

Kategori = Literal["suku", "agama", "ras", "antargolongan", "dehumanisasi", "ajakan_kekerasan"]


def normalisasi_teks(teks: str) -> str:
    """Step 1: one canonical lowercase Latin spelling of the text."""
    teks = unicodedata.normalize("NFKC", teks).casefold().translate(_HOMOGLIF)
    teks = unicodedata.normalize("NFKD", teks)
    return "".join(
        c for c in teks if unicodedata.category(c) not in ("Mn", "Me", "Cf")
    )


def _padatkan(kata: str) -> str:
    """Repeated letters squeezed to one: the lookup key of a word."""
    return "".join(huruf for huruf, _ in itertools.groupby(kata))


def _runtun(kata: str) -> tuple[int, ...]:
    return tuple(len(list(ulang)) for _, ulang in itertools.groupby(kata))


def _cocok_ulang(bentuk: str, kata: str) -> bool:
    """Same letters in order, each run in `bentuk` at least as long as in `kata`."""
    return _padatkan(bentuk) == _padatkan(kata) and all(
        a >= b for a, b in zip(_runtun(bentuk), _runtun(kata), strict=True)
    )


@dataclass(frozen=True)
class _Token:
    bentuk: frozenset[str]  # every spelling this token may stand for
    kunci: frozenset[str]  # squeezed spellings: the lookup keys
    wildcard: bool  # a hidden letter ("k*fir"): no key lookup possible
    awal_klausa: bool
    gabungan: bool  # joined from letters typed apart ("k a f i r")
    pendek: bool  # 1-3 characters, a candidate piece of a split word


@lru_cache(maxsize=1024)
def _pola_wildcard(bentuk: str) -> re.Pattern[str]:
    return re.compile(re.escape(bentuk).replace(r"\*", "[a-z]") + r"\Z")


class KumpulanKata:
    """Single words matched with the repeated-letter and wildcard rules."""

    def __init__(self, kata: Iterable[str]) -> None:
        self._per_kunci: dict[str, list[str]] = {}
        for k in kata:
            self._per_kunci.setdefault(_padatkan(k), []).append(k)

    def cocok(self, token: _Token) -> bool:
        return any(self.cocok_bentuk(b) for b in token.bentuk)

    def cocok_bentuk(self, bentuk: str) -> bool:
        if "*" in bentuk:
            return self._cocok_wildcard(bentuk)
        return any(_cocok_ulang(bentuk, k) for k in self._per_kunci.get(_padatkan(bentuk), ()))

    def _cocok_wildcard(self, bentuk: str) -> bool:
        terlihat = len(bentuk) - bentuk.count("*")
        if terlihat < 3:
            return False
        pola = _pola_wildcard(bentuk)
        return any(pola.match(k) for daftar in self._per_kunci.values() for k in daftar)

    def semua(self) -> list[str]:
        return [k for daftar in self._per_kunci.values() for k in daftar]


@dataclass(frozen=True)
class _Frasa:
    kata: tuple[KumpulanKata, ...]
    kategori: str

    def panjang_cocok(self, token: Sequence[_Token], awal: int) -> int:
        """Tokens covered when the phrase starts at `awal`, else 0."""
        if awal + len(self.kata) > len(token):
            return 0
        for i, kata in enumerate(self.kata):
            if not kata.cocok(token[awal + i]):
                return 0
        return len(self.kata)


class _IndeksFrasa:
    """Phrases by the lookup key of their first word, so each token only
    tries the few phrases that can start at it."""

    def __init__(self, frasa: Iterable[_Frasa]) -> None:
        self.semua = list(frasa)
        self._per_kunci: dict[str, list[_Frasa]] = {}
        self._per_panjang: dict[int, list[tuple[str, _Frasa]]] = {}
        for f in self.semua:
            for kata in f.kata[0].semua():
                self._per_kunci.setdefault(_padatkan(kata), []).append(f)
                self._per_panjang.setdefault(len(kata), []).append((kata, f))

    def kandidat(self, token: _Token) -> list[_Frasa]:
        hasil: dict[int, _Frasa] = {}
        for kunci in token.kunci:
            for f in self.kandidat_kunci(kunci):
                hasil[id(f)] = f
        if token.wildcard:
            for bentuk in (b for b in token.bentuk if "*" in b):
                pola = _pola_wildcard(bentuk)
                for kata, f in self._per_panjang.get(len(bentuk), ()):
                    if pola.match(kata):
                        hasil[id(f)] = f
        return list(hasil.values())

    def kandidat_kunci(self, kunci: str) -> list[_Frasa]:
        return self._per_kunci.get(kunci, [])

    def cocok_di(self, token: Sequence[_Token], awal: int) -> list[tuple[_Frasa, int]]:
        """(phrase, length) of every phrase matching from `awal`."""
        if awal >= len(token):
            return []
        hasil = []
        for f in self.kandidat(token[awal]):
            if panjang := f.panjang_cocok(token, awal):
                hasil.append((f, panjang))
        return hasil


def _frasa(teks: str, kategori: str) -> _Frasa:
    return _Frasa(tuple(KumpulanKata([k]) for k in teks.split()), kategori)


class Temuan(FrozenModel):
    """One reason a text is refused. Never carries the offending word."""

    kategori: Kategori
    aturan: Literal["istilah", "kelompok_dan_hinaan", "dasar", "ajakan_kekerasan", "kata_terpisah"]
    token_awal: int
    token_akhir: int


class HasilModerasi(FrozenModel):
    temuan: tuple[Temuan, ...]

    @property
    def aman(self) -> bool:
        return not self.temuan

    @property
    def kategori(self) -> list[str]:
        return sorted({t.kategori for t in self.temuan})


@dataclass
class Leksikon:
    """The moderation word lists, compiled for matching."""

    label_kategori: dict[str, str]
    jenis_kategori: dict[str, str]
    istilah: _IndeksFrasa
    kelompok: _IndeksFrasa
    hinaan_penyerta: KumpulanKata
    hinaan_pendahulu: KumpulanKata
    sesudah_dasar: _IndeksFrasa
    kata_kekerasan: KumpulanKata
    sasaran_kekerasan: KumpulanKata
    penanda_kelompok: KumpulanKata
    pengisi: KumpulanKata
    pengizinan: _IndeksFrasa
    kata_dasar: KumpulanKata = field(default_factory=lambda: KumpulanKata(["dasar"]))
    ringkas: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def dari_data(cls, data: dict) -> Leksikon:
        kategori = data["kategori"]
        leksikon = cls(
            label_kategori={k: v["label"] for k, v in kategori.items()},
            jenis_kategori={k: v["jenis"] for k, v in kategori.items()},
            istilah=_IndeksFrasa(_frasa(e["teks"], e["kategori"]) for e in data["istilah"]),
            kelompok=_IndeksFrasa(
                _frasa(nama, kat) for kat, daftar in data["kelompok"].items() for nama in daftar
            ),
            hinaan_penyerta=KumpulanKata(data["hinaan_penyerta"]),
            hinaan_pendahulu=KumpulanKata(data["hinaan_pendahulu"]),
            sesudah_dasar=_IndeksFrasa(
                _frasa(kata, kat) for kat, daftar in data["sesudah_dasar"].items() for kata in daftar
            ),
            kata_kekerasan=KumpulanKata(data["kata_kekerasan"]),
            sasaran_kekerasan=KumpulanKata(data["sasaran_kekerasan"]),
            penanda_kelompok=KumpulanKata(data["penanda_kelompok"]),
            pengisi=KumpulanKata(data["pengisi"]),
            pengizinan=_IndeksFrasa(_frasa(teks, "") for teks in data["pengizinan"]),
        )
        for frasa in [*leksikon.istilah.semua, *leksikon.kelompok.semua, *leksikon.sesudah_dasar.semua]:
            if frasa.kategori not in kategori:
                raise ValueError(f"kategori {frasa.kategori!r} tidak terdaftar di leksikon")
        leksikon.ringkas = leksikon._bentuk_ringkas(data)
        return leksikon

    def _bentuk_ringkas(self, data: dict) -> list[tuple[str, str]]:
        """Rule outcomes written without spaces, to search inside joined letters."""
        ringkas = [(e["teks"].replace(" ", ""), e["kategori"]) for e in data["istilah"]]
        kelompok = [(n.replace(" ", ""), k) for k, d in data["kelompok"].items() for n in d]
        for nama, kat in kelompok:
            ringkas += [(nama + h, kat) for h in data["hinaan_penyerta"]]
            ringkas += [(h + nama, kat) for h in data["hinaan_pendahulu"]]
            ringkas.append(("dasar" + nama, kat))
            ringkas += [(v + nama, "ajakan_kekerasan") for v in data["kata_kekerasan"]]
        for kat, daftar in data["sesudah_dasar"].items():
            ringkas += [("dasar" + kata, kat) for kata in daftar]
        return [(_padatkan(teks), kat) for teks, kat in ringkas if len(teks) >= 5]


@lru_cache(maxsize=1)
def leksikon_bawaan() -> Leksikon:
    teks = resources.files("umpan_balik.data").joinpath("leksikon_moderasi.json").read_text(
        encoding="utf-8"
    )
    return Leksikon.dari_data(json.loads(teks))


def _varian_leet(kata: str) -> set[str]:
    if not re.search(r"[a-z]", kata):
        return {kata}  # numbers stay numbers: "kelas 5", "2024"
    kata = re.sub(r"(?<=[a-z@$!|])2((?:nya|mu|ku)?)$", r"\1", kata)
    kata = "".join(_LEET_PASTI.get(c, c) for c in kata)
    posisi = [i for i, c in enumerate(kata) if c in _LEET_AMBIGU]
    if not posisi:
        return {kata}
    if len(posisi) > _MAKS_POSISI_AMBIGU:
        return {"".join(_LEET_AMBIGU.get(c, c)[0] for c in kata)}
    varian = set()
    for pilihan in itertools.product("il", repeat=len(posisi)):
        huruf = list(kata)
        for i, h in zip(posisi, pilihan, strict=True):
            huruf[i] = h
        varian.add("".join(huruf))
    return varian


def _bentuk(kata: str, ekor: str = "") -> frozenset[str]:
    if re.fullmatch(r"(?:[a-z0-9@$]\*)+[a-z0-9@$]", kata):
        kata = kata.replace("*", "")  # "k*a*f*i*r": stars as spacing, not hiding
    varian_kata = _varian_leet(kata)
    if ekor and re.search(r"[a-z]", kata):
        # "b4b!," : a final ! or | may be a letter, or just an exclamation.
        varian_kata |= _varian_leet(kata + ekor)
    bentuk = set()
    for varian in varian_kata:
        bentuk.add(varian)
        for akhiran in _AKHIRAN:
            if varian.endswith(akhiran) and len(varian) - len(akhiran) >= 3:
                bentuk.add(varian[: -len(akhiran)])
    return frozenset(bentuk)


def tokenisasi(teks: str) -> list[_Token]:
    """Normalised tokens of `teks` (steps 1-5 of the module docstring)."""
    teks = normalisasi_teks(teks)
    mentah: list[tuple[str, str]] = []  # (word, separator before it)
    akhir = 0
    for m in _TOKEN.finditer(teks):
        mentah.append((m.group(), teks[akhir : m.start()]))
        akhir = m.end()
    sisa = teks[akhir:]

    # Join runs of single characters typed apart: "k a f i r", "k.a.f.i.r".
    gabung: list[tuple[str, str, bool]] = []
    i = 0
    while i < len(mentah):
        j = i
        while (
            j + 1 < len(mentah)
            and len(mentah[j][0]) == 1
            and len(mentah[j + 1][0]) == 1
            and _PEMISAH_HURUF.match(mentah[j + 1][1])
        ):
            j += 1
        if j - i + 1 >= 3:
            gabung.append(("".join(k for k, _ in mentah[i : j + 1]), mentah[i][1], True))
            i = j + 1
        else:
            gabung.append((mentah[i][0], mentah[i][1], False))
            i += 1

    token: list[_Token] = []
    for nomor, (kata, pemisah, digabung) in enumerate(gabung):
        pemisah_sesudah = gabung[nomor + 1][1] if nomor + 1 < len(gabung) else sisa
        ekor = "" if digabung else re.match(r"[!|]?", pemisah_sesudah).group()
        sebelumnya = gabung[nomor - 1][0] if nomor else ""
        awal_klausa = (
            nomor == 0 or bool(_AKHIR_KLAUSA.search(pemisah)) or sebelumnya in _KATA_GANTI
        )
        bentuk = _bentuk(kata, ekor)
        token.append(
            _Token(
                bentuk=bentuk,
                kunci=frozenset(_padatkan(b) for b in bentuk),
                wildcard=any("*" in b for b in bentuk),
                awal_klausa=awal_klausa,
                gabungan=digabung,
                pendek=len(kata) <= 3 and bool(re.search(r"[a-z]", kata)),
            )
        )
    return token


def periksa_teks(teks: str, leksikon: Leksikon | None = None) -> HasilModerasi:
    """Every reason to refuse `teks` (none: the text may be published)."""
    leksikon = leksikon or leksikon_bawaan()
    token = tokenisasi(teks)
    diizinkan = _posisi_diizinkan(token, leksikon)
    temuan: list[Temuan] = []

    def catat(kategori: str, aturan: str, awal: int, akhir: int) -> None:
        if not any(i in diizinkan for i in range(awal, akhir)):
            temuan.append(
                Temuan(kategori=kategori, aturan=aturan, token_awal=awal, token_akhir=akhir)
            )

    for awal in range(len(token)):
        for frasa, panjang in leksikon.istilah.cocok_di(token, awal):
            catat(frasa.kategori, "istilah", awal, awal + panjang)

        for kelompok, panjang in leksikon.kelompok.cocok_di(token, awal):
            akhir = awal + panjang
            # "<kelompok> [itu/memang/...] <hinaan>": "Kristen sesat", "Padang pelit"
            sesudah = _lewati(token, akhir, leksikon.pengisi, 2)
            if sesudah < len(token) and leksikon.hinaan_penyerta.cocok(token[sesudah]):
                catat(kelompok.kategori, "kelompok_dan_hinaan", awal, sesudah + 1)
            # "<hinaan> <kelompok>": "babi cina"
            if awal and leksikon.hinaan_pendahulu.cocok(token[awal - 1]):
                catat(kelompok.kategori, "kelompok_dan_hinaan", awal - 1, akhir)

        if token[awal].awal_klausa and leksikon.kata_dasar.cocok(token[awal]):
            # "Dasar <kelompok/hinaan>!" opening a sentence; "nilai dasar Islam" is not one.
            sesudah = _lewati(token, awal + 1, leksikon.penanda_kelompok, 2)
            for indeks in (leksikon.kelompok, leksikon.sesudah_dasar):
                for sasaran, panjang in indeks.cocok_di(token, sesudah):
                    catat(sasaran.kategori, "dasar", awal, sesudah + panjang)

        if leksikon.kata_kekerasan.cocok(token[awal]):
            # "usir semua orang <kelompok>", "bakar gereja"
            sesudah = _lewati(
                token, awal + 1, _Gabungan(leksikon.pengisi, leksikon.penanda_kelompok), 3
            )
            if sesudah < len(token) and (
                leksikon.sasaran_kekerasan.cocok(token[sesudah])
                or leksikon.kelompok.cocok_di(token, sesudah)
            ):
                catat("ajakan_kekerasan", "ajakan_kekerasan", awal, sesudah + 1)

        _kata_terpisah(token, awal, leksikon, catat)
    return HasilModerasi(temuan=tuple(_unik(temuan)))


class _Gabungan:
    def __init__(self, *kumpulan: KumpulanKata) -> None:
        self._kumpulan = kumpulan

    def cocok(self, token: _Token) -> bool:
        return any(k.cocok(token) for k in self._kumpulan)


def _lewati(token: Sequence[_Token], mulai: int, boleh: KumpulanKata | _Gabungan, maks: int) -> int:
    i = mulai
    while i < len(token) and i - mulai < maks and boleh.cocok(token[i]):
        i += 1
    return i


def _kata_terpisah(token: Sequence[_Token], awal: int, leksikon: Leksikon, catat) -> None:
    """A word split on purpose: "ka fir" (short pieces) or letters joined
    into one run ("c i n a b a b i" -> search the rule outcomes inside it)."""
    if token[awal].gabungan:
        for bentuk in token[awal].bentuk:
            padat = _padatkan(bentuk)
            for ringkas, kategori in leksikon.ringkas:
                if ringkas in padat:
                    catat(kategori, "kata_terpisah", awal, awal + 1)
                    return
    for lebar in (2, 3):
        potongan = token[awal : awal + lebar]
        if len(potongan) < lebar or not all(t.pendek for t in potongan):
            continue
        for bentuk in itertools.product(*(sorted(t.bentuk) for t in potongan)):
            gabungan = "".join(bentuk)
            for frasa in leksikon.istilah.kandidat_kunci(_padatkan(gabungan)):
                if len(frasa.kata) == 1 and frasa.kata[0].cocok_bentuk(gabungan):
                    catat(frasa.kategori, "kata_terpisah", awal, awal + lebar)
                    return


def _posisi_diizinkan(token: Sequence[_Token], leksikon: Leksikon) -> set[int]:
    posisi: set[int] = set()
    for awal in range(len(token)):
        for _, panjang in leksikon.pengizinan.cocok_di(token, awal):
            posisi.update(range(awal, awal + panjang))
    return posisi


def _unik(temuan: Iterable[Temuan]) -> list[Temuan]:
    hasil: dict[tuple, Temuan] = {}
    for t in temuan:
        hasil.setdefault((t.kategori, t.aturan, t.token_awal, t.token_akhir), t)
    return list(hasil.values())


def tolak_jika_tidak_pantas(
    teks: str, kolom: str = "teks", label: str = "Teks Anda", leksikon: Leksikon | None = None
) -> None:
    """Raise a DomainError naming the category when `teks` may not be published."""
    leksikon = leksikon or leksikon_bawaan()
    hasil = periksa_teks(teks, leksikon)
    if hasil.aman:
        return
    kategori = hasil.kategori
    sara = [k for k in kategori if leksikon.jenis_kategori[k] == "sara"]
    alasan = " dan ".join(leksikon.label_kategori[k] for k in kategori)
    raise DomainError(
        "teks_mengandung_sara" if sara else "teks_mengandung_ujaran_kebencian",
        f"{label} tidak dapat dikirim karena mengandung {alasan}"
        f"{' (SARA)' if sara else ''}. Umpan balik dapat dilihat rekan guru lain, jadi "
        "pastikan tidak ada SARA dan ujaran kebencian. Ubah kalimat tersebut lalu kirim kembali.",
        kolom=kolom,
        kategori_pelanggaran=kategori,
    )
