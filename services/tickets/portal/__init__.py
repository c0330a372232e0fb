"""The client portal's side of the tickets service: what a signed-in contact reads and does
beyond the API's ticket calls (docs/portal.md)."""
