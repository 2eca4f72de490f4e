"""The `hepatic` command line: thin adapters over the library (the only place click is imported)."""
