"""What the account services: client sites, the equipment registry and its QR labels, and the
intake a label opens. Rules, schemas and entrypoints; the data is in store/ (sites, equipment,
intake_limits)."""
