"""Data files of the Umpan Balik domain, each naming its source.

- kuesioner/<kategori>.v<versi>.json  questionnaire templates (U2), one file per
  version; a published version is never edited, a change is a new file.
- leksikon_moderasi.json  SARA / hate-speech lexicon and rules (U3), source in
  its "sumber" field.
- moderasi_eval.jsonl  labelled evaluation set of the moderation, written by the
  Umpan Balik team (lines with "tahap": "susulan" were written after the
  lexicon and never tuned on); measured by benchmarks/moderasi_eval.py.
"""
