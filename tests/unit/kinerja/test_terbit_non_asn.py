"""P1: Pengelolaan Kinerja is optional for non-ASN; their predicate stays in PMM (nothing for e-Kinerja).

Sinkro PMM would only refuse it (it used to answer #7); kinerja does not publish it at all."""
from kinerja.domain.referensi import Ptk
from kinerja.service import predikat


class TxRekam:
    def __init__(self):
        self.events = []

    def emit(self, event):
        self.events.append(event)


def test_p1_predikat_non_asn_tidak_diterbitkan():
    honorer = Ptk(ptk_id="ptk-h", nama="Guru Honorer", npsn_induk="20100001", status_kepegawaian="honorer",
                  jabatan="guru", versi=1)
    tx = TxRekam()
    predikat._terbitkan(tx, object(), honorer, "guru")  # the predicate itself is never read for a non-ASN
    assert tx.events == []
