"""Plumbing every service shares: settings, storage, errors, actor context, events, metrics, logs.

Domain logic never lives here.
"""
