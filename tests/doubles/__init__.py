"""Test doubles of outside systems, built from their documented protocols and served for real."""
