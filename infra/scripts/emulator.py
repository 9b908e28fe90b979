"""moto's server, with two fixes to how it rolls back a failed DynamoDB transaction.

moto rolls a failed TransactWriteItems back by putting back a copy of each table taken
before the transaction. Two things go wrong with that, and both would break the outbox
locally (AWS has neither problem):

1. The writes the transaction made before failing stay in the old table's stream shard,
   and a stream iterator taken before the rollback still reads that shard: the relay
   would publish an event for a change that never committed. The fix truncates the old
   shard back to where it was.
2. A request served meanwhile on another thread loses its writes with the restore. The
   fix serves DynamoDB and DynamoDB Streams requests one at a time; every other service
   (SQS long polls included) stays concurrent.

Usage: python emulator.py -H 127.0.0.1 -p PORT
"""

import threading

import moto.server
from moto.dynamodb.models import DynamoDBBackend
from moto.moto_server.werkzeug_app import DomainDispatcherApplication

_dynamodb = threading.Lock()
_transact_write_items = DynamoDBBackend.transact_write_items


def transact_write_items(self, transact_items):
    shards = {}
    for item in transact_items:
        _, op = next(iter(item.items()))
        table = self.tables.get(op.get("TableName"))
        if table is not None and table.stream_shard is not None:
            shards[id(table)] = (table.stream_shard, len(table.stream_shard.items))
    try:
        return _transact_write_items(self, transact_items)
    except Exception:
        for shard, length in shards.values():
            del shard.items[length:]
        raise


class SerialDynamoDB(DomainDispatcherApplication):
    def __call__(self, environ, start_response):
        if environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB"):
            with _dynamodb:
                return super().__call__(environ, start_response)
        return super().__call__(environ, start_response)


DynamoDBBackend.transact_write_items = transact_write_items
moto.server.DomainDispatcherApplication = SerialDynamoDB

if __name__ == "__main__":
    moto.server.main()
