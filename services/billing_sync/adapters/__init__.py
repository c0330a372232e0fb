"""Outside accounting systems the sync talks to: a base and one module per protocol."""
