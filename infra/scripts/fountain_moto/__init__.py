"""Patches to moto for the local stack: bounded memory and constant cost per DynamoDB call.

Each module fixes one thing and says why; `apply` installs them all before the server starts.
"""

from . import (
    archives,
    capacity,
    dispatch,
    events,
    indexes,
    queues,
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
    archives.apply()
    queues.apply()
    indexes.apply()
    reads.apply()
    responses.apply()
    transactions.apply()
    streams.apply()
    server.apply()


__all__ = ["apply", "capacity", "memory"]
