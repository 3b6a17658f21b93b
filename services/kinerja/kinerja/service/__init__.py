"""Use cases of Pengelolaan Kinerja: one function per user action or consumed event.

Each use case runs in one Firestore transaction through the unit of work
(reads first, then writes, events to the outbox in the same commit) and gets
the caller's e-mail from the verified token; who the caller *is* (PTK, role,
school) comes from the reference data, never from the token or the body.

- ``repo``        -- collections, repositories, the identity index (e-mail hash -> PTK)
- ``akses``       -- who is calling and what they lead (guru, kepala sekolah, Plt., Kepala Dinas)
- ``referensi``   -- consumers of the Dapodik / Rapor Pendidikan reference events
- ``siklus``      -- opening a cycle, the principal's confirmation of period 2
- ``rencana``     -- the plan steps, ajukan, the superior's inbox and decision, sepakati
- ``pelaksanaan`` -- the four observation steps
- ``berkas``      -- pre-signed uploads and their confirmation (RPP, evidence, school documents)
- ``sekolah``     -- the principal's view of the school's teachers
"""
