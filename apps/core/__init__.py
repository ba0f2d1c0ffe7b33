"""The shared core on the ground floor: view and service helpers, formatting, the safe tabular reader.

It imports no domain app (apps.members, apps.insatser, ...); only apps.tenancy may be used.
"""
