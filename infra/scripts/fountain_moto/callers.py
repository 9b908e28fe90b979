"""Which function made each DynamoDB call: the local runner names each function's SDK clients
after it (`app/<function>` in the user agent). For every caller this keeps the operations it
used per table, and the identity partitions it touched, so the table access each function
declares in the registry (decision 51) can be compared with what it does.

GET /_fountain/dynamodb-callers answers {function: {table: [operation or
"operation CREDENTIAL#"...]}}, tables named by logical id (the part after the stack prefix).
"""

import collections
import json
import re

_APP = re.compile(r"app/([A-Za-z0-9_]+)")
# Partition key prefixes only identity functions may touch (fountain_store::keys::CREDENTIAL_PREFIXES).
SECRET_PREFIXES = (
    "CREDENTIAL#", "REFRESH#", "MAILTOKEN#", "TOKENS#", "LOGIN#", "EMAIL#", "RATE#", "ADMIN",
)

_calls = collections.defaultdict(lambda: collections.defaultdict(set))


def snapshot():
    return json.dumps(
        {app: {table: sorted(ops) for table, ops in tables.items()} for app, tables in _calls.items()}
    )


def caller(environ):
    agent = environ.get("HTTP_X_AMZ_USER_AGENT", "") + " " + environ.get("HTTP_USER_AGENT", "")
    found = _APP.search(agent)
    return found.group(1) if found else None


def _logical(table):
    return table.rsplit("-", 1)[-1]


def _secret(value):
    for prefix in SECRET_PREFIXES:
        if isinstance(value, str) and value.startswith(prefix):
            return prefix
    return None


def _keys_in(key):
    return [v.get("S") for v in (key or {}).values() if isinstance(v, dict)]


def record(environ, operation, parsed):
    app = caller(environ)
    if not app or not operation:
        return
    for table, op, values in _touches(operation, parsed):
        _calls[app][_logical(table)].add(op)
        for value in values:
            secret = _secret(value)
            if secret:
                _calls[app][_logical(table)].add(f"{op} {secret}")


def _touches(operation, parsed):
    """(table, operation, candidate key values) for each table the call names."""
    if operation in ("TransactWriteItems", "TransactGetItems"):
        for entry in parsed.get("TransactItems", []):
            for op, body in entry.items():
                key = body.get("Key") or body.get("Item")
                yield body.get("TableName", ""), op, _keys_in(key)
        return
    if operation in ("BatchWriteItem", "BatchGetItem"):
        for table, requests in parsed.get("RequestItems", {}).items():
            if operation == "BatchGetItem":
                keys = [v for key in requests.get("Keys", []) for v in _keys_in(key)]
            else:
                keys = [
                    v
                    for request in requests
                    for body in request.values()
                    for v in _keys_in(body.get("Key") or body.get("Item"))
                ]
            yield table, operation, keys
        return
    values = _keys_in(parsed.get("Key") or parsed.get("Item"))
    values += _keys_in(parsed.get("ExpressionAttributeValues"))
    yield parsed.get("TableName", ""), operation, values
