"""The tickets service's RPC entrypoints, one mixin per domain; service.py composes them.

Each entrypoint: rebuild the actor, check the permission, validate the input, call the domain,
record the audit entry, return schema-dumped data.
"""
