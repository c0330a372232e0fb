"""How an outbox item reaches the partner: within this installation, or over HTTPS to another."""
