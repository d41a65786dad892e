"""Sync bundles between points and the district office (next issues)."""
