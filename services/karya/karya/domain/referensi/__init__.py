"""Reference tables of Bukti Karya, kept as data (K2: categories are data,
not code branches). Each module names its source in its header."""
