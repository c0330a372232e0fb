"""The telephony service's entrypoints, one mixin per domain; service.py composes them."""
