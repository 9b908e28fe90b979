"""SQS queues that remember a bounded number of deleted receipt handles.

moto keeps every receipt handle of every message ever deleted from a queue, so that deleting
one again succeeds quietly as in AWS. With a delivery and a delete for every event the
product publishes, that set grows by about a megabyte a minute under a writer's load and is
never emptied. A queue here remembers the newest `REMEMBERED` deleted handles, enough for any
late duplicate delete of a message that was just handled; an older handle deleted again is
refused as invalid, as AWS does once a receipt handle has expired.
"""

import os

from moto.sqs.models import Queue

REMEMBERED = int(os.environ.get("FOUNTAIN_SQS_REMEMBERED_DELETES", 10000))

_queue_init = Queue.__init__


class RecentHandles:
    """A set of the newest `limit` strings added (insertion order, oldest forgotten first)."""

    def __init__(self, limit):
        self.limit = limit
        self._handles = {}

    def __contains__(self, handle):
        return handle in self._handles

    def __len__(self):
        return len(self._handles)

    def add(self, handle):
        self._handles.pop(handle, None)
        self._handles[handle] = None
        while len(self._handles) > self.limit:
            del self._handles[next(iter(self._handles))]

    def update(self, handles):
        for handle in handles:
            self.add(handle)


def queue_init(self, *args, **kwargs):
    _queue_init(self, *args, **kwargs)
    self.deleted_messages = RecentHandles(REMEMBERED)


def apply():
    Queue.__init__ = queue_init
