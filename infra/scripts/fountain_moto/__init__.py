"""Patches to moto for the local stack: bounded memory and constant cost per DynamoDB call.

Each module fixes one thing and says why; `apply` installs them all before the server starts.
"""

from . import (
    capacity,
    dispatch,
    events,
    indexes,
    reads,
    responses,
    server,
    streams,
    tracking,
    transactions,
)


def apply():
    tracking.apply()
    dispatch.apply()
    events.apply()
    indexes.apply()
    reads.apply()
    responses.apply()
    transactions.apply()
    streams.apply()
    server.apply()


__all__ = ["apply", "capacity"]
