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

It also counts DynamoDB calls and item writes per table, for the benchmarks:
GET /_fountain/dynamodb-calls answers {table: {"calls": {operation: n}, "itemWrites": n}}.

Usage: python emulator.py -H 127.0.0.1 -p PORT
"""

import collections
import io
import json
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


_counts = collections.defaultdict(
    lambda: {"calls": collections.Counter(), "itemWrites": 0}
)
WRITES = {"PutItem", "UpdateItem", "DeleteItem"}


def count(operation, body):
    """Adds one call of `operation` (and the items it writes) to each table it names."""
    try:
        request = json.loads(body or b"{}")
    except ValueError:
        return
    writes = collections.Counter()
    tables = set()
    if "TableName" in request:
        tables.add(request["TableName"])
        writes[request["TableName"]] += operation in WRITES
    for table, requests in request.get("RequestItems", {}).items():
        tables.add(table)
        if operation == "BatchWriteItem":
            writes[table] += len(requests)
    for item in request.get("TransactItems", []):
        kind, op = next(iter(item.items()))
        tables.add(op.get("TableName"))
        writes[op.get("TableName")] += kind != "ConditionCheck"
    for table in tables:
        _counts[table]["calls"][operation] += 1
        _counts[table]["itemWrites"] += writes[table]


class SerialDynamoDB(DomainDispatcherApplication):
    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == "/_fountain/dynamodb-calls":
            start_response("200 OK", [("Content-Type", "application/json")])
            return [json.dumps(_counts).encode()]
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if target.startswith("DynamoDB"):
            with _dynamodb:
                if target.startswith("DynamoDB_"):
                    length = int(environ.get("CONTENT_LENGTH") or 0)
                    body = environ["wsgi.input"].read(length)
                    environ["wsgi.input"] = io.BytesIO(body)
                    count(target.split(".")[-1], body)
                return super().__call__(environ, start_response)
        return super().__call__(environ, start_response)


DynamoDBBackend.transact_write_items = transact_write_items
moto.server.DomainDispatcherApplication = SerialDynamoDB

if __name__ == "__main__":
    moto.server.main()
