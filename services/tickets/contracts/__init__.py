"""What a client is entitled to and what it pays: coverage of a request by a contract, the price
list and paid works, and the 1C sync's way in. The data is in store/ (contracts, pricing,
billing_links)."""
