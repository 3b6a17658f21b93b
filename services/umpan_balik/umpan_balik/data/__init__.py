"""Data files of the Umpan Balik domain, each naming its source.

- kuesioner/<kategori>.v<versi>.json  questionnaire templates (U2), one file per
  version; a published version is never edited, a change is a new file.
"""
