"""Kanal berbagi for "Bagikan Karya" (K7, K8).

Source for the list of channels: SRC-BUKTI-KARYA, III.2 and III.5 ("Pilih kanal
komunikasi yang ingin digunakan untuk membagikan video"; "Akan muncul templat
pesan di kanal komunikasi dan terlampir tautan menuju karya"), docs/requirements.md#k7
(WhatsApp, Telegram, Facebook, X, e-mail, salin tautan).
Source for the URL templates: each platform's public share-link format:
  WhatsApp  https://wa.me/?text=...                  (faq.whatsapp.com "click to chat")
  Telegram  https://t.me/share/url?url=...&text=...  (core.telegram.org/widgets/share)
  Facebook  https://www.facebook.com/sharer/sharer.php?u=...  (only the link is taken)
  X         https://x.com/intent/post?text=...&url=...  (developer.x.com web intents)
  E-mail    mailto:?subject=...&body=...             (RFC 6068)
Placeholders, all percent-encoded by `karya.domain.berbagi`: {tautan} the
link, {teks} the message without the link, {teks_dan_tautan} the message
followed by the link, {subjek} the e-mail subject.
"""
from __future__ import annotations

from shared.models import FrozenModel, Kode, Nama


class KanalBerbagi(FrozenModel):
    kode: Kode
    label: Nama
    # None: nothing to open, the client copies `teks` to the clipboard.
    template_url: str | None
    urutan: int


KANAL_BERBAGI: tuple[KanalBerbagi, ...] = (
    KanalBerbagi(kode="whatsapp", label="WhatsApp", template_url="https://wa.me/?text={teks_dan_tautan}", urutan=1),
    KanalBerbagi(
        kode="telegram", label="Telegram",
        template_url="https://t.me/share/url?url={tautan}&text={teks}", urutan=2,
    ),
    KanalBerbagi(
        kode="facebook", label="Facebook",
        template_url="https://www.facebook.com/sharer/sharer.php?u={tautan}", urutan=3,
    ),
    KanalBerbagi(kode="x", label="X", template_url="https://x.com/intent/post?text={teks}&url={tautan}", urutan=4),
    KanalBerbagi(
        kode="email", label="E-mail",
        template_url="mailto:?subject={subjek}&body={teks_dan_tautan}", urutan=5,
    ),
    KanalBerbagi(kode="salin_tautan", label="Salin Tautan", template_url=None, urutan=6),
)

# Message templates by who shares (asal of the link): the owner shares their
# own work (III.2), a link holder shares a colleague's work onward (III.5).
TEMPLATE_PESAN: dict[str, str] = {
    "pemilik": (
        'Halo Bapak/Ibu Guru, saya ingin berbagi karya saya "{judul}" di Platform Merdeka '
        "Mengajar. Silakan tonton dan berikan umpan balik melalui tautan berikut:"
    ),
    "penerus": (
        'Halo Bapak/Ibu Guru, saya ingin berbagi karya rekan guru "{judul}" di Platform '
        "Merdeka Mengajar. Silakan tonton dan berikan umpan balik melalui tautan berikut:"
    ),
}
TEMPLATE_SUBJEK = 'Karya "{judul}" di Platform Merdeka Mengajar'
