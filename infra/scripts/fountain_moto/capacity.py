"""DynamoDB calls, item writes and capacity units per table, counted as AWS on-demand bills them.

The WSGI layer (server.py) opens a `request` around each DynamoDB call; the item paths
(indexes.py, transactions.py) report what they read and wrote. Units follow AWS's rules:
a read is 1 unit per 4 KB (half for an eventually consistent read), a Query's items are
summed before rounding, a write is 1 unit per 1 KB of the larger of the item before and
after, and everything inside a transaction counts twice (a ConditionCheck as a write of the
item it checks). Items are sized as moto sizes them (names plus values).

GET /_fountain/dynamodb-calls answers
{table: {"calls": {operation: n}, "itemWrites": n, "readUnits": x, "writeUnits": x,
"cancelledTransactions": n}}: a cancelled transaction is still a call (and billed).
"""

import collections
import contextlib
import json
import math
import threading

WRITES = {"PutItem", "UpdateItem", "DeleteItem"}

_tables = collections.defaultdict(
    lambda: {
        "calls": collections.Counter(),
        "itemWrites": 0,
        "readUnits": 0.0,
        "writeUnits": 0.0,
        "cancelledTransactions": 0,
    }
)
_context = threading.local()


def snapshot():
    return json.dumps(_tables)


def parsed(body):
    """The JSON of a request body, or {} when it is none."""
    try:
        return json.loads(body or b"{}")
    except ValueError:
        return {}


@contextlib.contextmanager
def request(operation, body):
    """Counts one call of `operation` (and the items it writes) against each table it names,
    and sets what the item paths need to price their reads and writes."""
    parsed_body = parsed(body)
    _context.tables = _count_call(operation, parsed_body)
    _context.operation = operation
    _context.consistent = bool(parsed_body.get("ConsistentRead"))
    _context.factor = 2 if operation.startswith("Transact") else 1
    _context.inner = False
    try:
        yield
    finally:
        _context.factor = 0


@contextlib.contextmanager
def inner_write():
    """A write made inside another that is already counted (an update creating its item)."""
    previous = getattr(_context, "inner", False)
    _context.inner = True
    try:
        yield
    finally:
        _context.inner = previous


def cancelled():
    """The transaction being served was cancelled (a condition failed or it conflicted)."""
    for table in getattr(_context, "tables", ()):
        _tables[table]["cancelledTransactions"] += 1


def operation():
    return getattr(_context, "operation", None)


def read(table, size, consistent=None):
    """One read of `size` bytes; BatchGetItem's ConsistentRead is per table, read as false."""
    factor = getattr(_context, "factor", 0)
    if not factor:
        return
    if consistent is None:
        consistent = _context.consistent
    units = max(1, math.ceil(size / 4096))
    if factor == 1 and not consistent:
        units /= 2
    _tables[table.name]["readUnits"] += units * factor


def wrote(table, old_size, new_size):
    factor = getattr(_context, "factor", 0)
    if not factor or getattr(_context, "inner", False):
        return
    _tables[table.name]["writeUnits"] += max(1, math.ceil(max(old_size, new_size) / 1024)) * factor


def _count_call(operation, request):
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
        _tables[table]["calls"][operation] += 1
        _tables[table]["itemWrites"] += writes[table]
    return tables
