"""Outside-system adapters of the sync service (e-Kinerja client)."""
