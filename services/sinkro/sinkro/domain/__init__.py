"""Pure domain of Sinkro PMM: the sync-error catalogue, unor name rules and
the check before sending. No I/O, no Google imports, no network."""
