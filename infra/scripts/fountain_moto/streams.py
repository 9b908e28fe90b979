"""DynamoDB Streams with bounded memory: records are dropped once no reader needs them.

moto keeps every stream record since the emulator started, and every shard iterator it ever
handed out. Here a shard drops a record once it is older than the stream's retention (24 hours,
as in AWS), or once every live reader has read past it and it is not among the newest
`KEEP_PASSED` records (so a new TRIM_HORIZON reader, such as a test looking back over what it
just did, still sees the recent past). A reader is a shard iterator that has not been used
yet and is younger than AWS's 15-minute iterator lifetime: reading with it hands the position
on to the next iterator. Sequence numbers stay what they were; the shard remembers how many
records it dropped.

Trimming runs outside any request (server.py calls `trim` after a DynamoDB call, at most
once a second), so a transaction's rollback always finds the shard as it left it.
"""

import datetime
import os
import time
import weakref

from moto.dynamodb.models.table import StreamRecord, StreamShard
from moto.dynamodbstreams.models import DynamoDBStreamsBackend, ShardIterator

RETENTION = datetime.timedelta(
    seconds=int(os.environ.get("FOUNTAIN_STREAM_RETENTION_SECONDS", 24 * 3600))
)
ITERATOR_LIFETIME = 15 * 60
KEEP_PASSED = int(os.environ.get("FOUNTAIN_STREAM_KEEP_PASSED", 1000))
TRIM_INTERVAL = 1.0

_shards = weakref.WeakSet()
_backends = weakref.WeakSet()
_last_trim = 0.0

_shard_init = StreamShard.__init__
_iterator_init = ShardIterator.__init__
_iterator_get = ShardIterator.get
_backend_init = DynamoDBStreamsBackend.__init__


def shard_init(self, account_id, table):
    _shard_init(self, account_id, table)
    self.dropped = 0
    self.readers = {}
    _shards.add(self)


def add(self, old, new):
    view = self.table.stream_specification["StreamViewType"]
    event_name = "INSERT" if old is None else "REMOVE" if new is None else "MODIFY"
    sequence = self.starting_sequence_number + self.dropped + len(self.items)
    self.items.append(StreamRecord(self.table, view, event_name, old, new, sequence))


def get(self, start, quantity):
    first = max(0, start - self.starting_sequence_number - self.dropped)
    return [record.to_json() for record in self.items[first : first + quantity]]


def iterator_init(self, backend, shard, iterator_type, sequence_number=None):
    _iterator_init(self, backend, shard, iterator_type, sequence_number)
    if iterator_type == "TRIM_HORIZON":
        self.sequence_number = shard.starting_sequence_number + shard.dropped
    elif iterator_type == "LATEST":
        self.sequence_number = shard.starting_sequence_number + shard.dropped + len(shard.items)
    self.created = time.monotonic()
    shard.readers[self.id] = (int(self.sequence_number), self.created)


def iterator_get(self, limit=1000):
    # This reader's position passes to the iterator the answer hands out.
    self.stream_shard.readers.pop(self.id, None)
    return _iterator_get(self, limit)


def backend_init(self, region_name, account_id):
    _backend_init(self, region_name, account_id)
    _backends.add(self)


def trim():
    """Drops what no reader needs, and forgets expired iterators; at most once a second."""
    global _last_trim
    now = time.monotonic()
    if now - _last_trim < TRIM_INTERVAL:
        return
    _last_trim = now
    expired = now - ITERATOR_LIFETIME
    for backend in list(_backends):
        forget_expired(backend.shard_iterators, expired)
    oldest = datetime.datetime.now(datetime.timezone.utc) - RETENTION
    for shard in list(_shards):
        trim_shard(shard, expired, oldest)


def forget_expired(iterators, expired):
    """Iterators are kept in the order they were made (a reader polling every 100 ms makes
    thousands in 15 minutes), so the expired ones are the oldest: stop at the first live one
    instead of visiting them all every second."""
    stale = []
    for arn, iterator in iterators.items():
        if getattr(iterator, "created", expired) >= expired:
            break
        stale.append(arn)
    for arn in stale:
        del iterators[arn]


def trim_shard(shard, expired, oldest):
    for reader, (_, created) in list(shard.readers.items()):
        if created < expired:
            del shard.readers[reader]
    drop = 0
    while drop < len(shard.items) and _created(shard.items[drop]) < oldest:
        drop += 1
    if shard.readers:
        passed = min(position for position, _ in shard.readers.values())
        passed -= shard.starting_sequence_number + shard.dropped
        drop = max(drop, min(passed, len(shard.items) - KEEP_PASSED))
    if drop > 0:
        del shard.items[:drop]
        shard.dropped += drop


def _created(record):
    created = record.record["dynamodb"]["ApproximateCreationDateTime"]
    if created.tzinfo is None:
        created = created.replace(tzinfo=datetime.timezone.utc)
    return created


def apply():
    StreamShard.__init__ = shard_init
    StreamShard.add = add
    StreamShard.get = get
    ShardIterator.__init__ = iterator_init
    ShardIterator.get = iterator_get
    DynamoDBStreamsBackend.__init__ = backend_init
