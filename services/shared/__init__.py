"""Plumbing every service shares: settings, storage, errors, actor context, events and
their dead letters, metrics, logs.

Domain logic never lives here.
"""
