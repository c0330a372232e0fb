"""The knowledge service's RPC entrypoints, one mixin per domain."""
