"""Which function made each DynamoDB call, and whether its IAM policy would allow it.

The local runner names each function's SDK clients after it and its declared table needs
(`app/<function>.<needs>` in the user agent; infra/local/src/functions.rs): `r` ReadsTable,
`w` WritesTable, `c` Credentials, `s` SweepsTable, `e` ReadsEvents, `f` WritesEvents. A call
the template's managed policies would refuse in AWS (decision 51) is refused here the same
way (AccessDeniedException), so the test suite checks every function's declared needs on
every path it runs. Calls without such a name (tests calling the SDK themselves) pass.

GET /_fountain/dynamodb-callers answers {function: {table: [operation or
"operation CREDENTIAL#"...]}}, tables named by logical id (the part after the stack prefix).
"""

import collections
import json
import re

_APP = re.compile(r"app/([A-Za-z0-9_]+)\.([a-z-]+)")
# Partition key prefixes only identity functions may touch (fountain_store::keys::CREDENTIAL_PREFIXES).
SECRET_PREFIXES = (
    "CREDENTIAL#", "REFRESH#", "MAILTOKEN#", "TOKENS#", "LOGIN#", "EMAIL#", "RATE#", "ADMIN",
)
READS = {"GetItem", "BatchGetItem", "Query", "ConditionCheck", "Get", "TransactGetItems"}
WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "Put", "Update", "Delete"}
# What the reconciler's Scan may return (template.yaml, AppTableSweep).
SWEPT = {"pk", "sk", "jobs", "entity", "sessionId", "ownerId", "entryCount"}
NEED = {
    ("AppTable", "read"): "r",
    ("AppTable", "write"): "w",
    ("AppTable", "scan"): "s",
    ("EventStoreTable", "read"): "e",
    ("EventStoreTable", "write"): "f",
}

_calls = collections.defaultdict(lambda: collections.defaultdict(set))


def snapshot():
    return json.dumps(
        {app: {table: sorted(ops) for table, ops in tables.items()} for app, tables in _calls.items()}
    )


def caller(environ):
    agent = environ.get("HTTP_X_AMZ_USER_AGENT", "") + " " + environ.get("HTTP_USER_AGENT", "")
    found = _APP.search(agent)
    return (found.group(1), found.group(2)) if found else (None, "")


def _logical(table):
    return table.rsplit("-", 1)[-1]


def _secret(value):
    for prefix in SECRET_PREFIXES:
        if isinstance(value, str) and value.startswith(prefix):
            return prefix
    return None


def _keys_in(key):
    return [v.get("S") for v in (key or {}).values() if isinstance(v, dict)]


def check(environ, operation, parsed):
    """Records the call; the reason it would be denied in AWS, or None."""
    app, needs = caller(environ)
    if not app or not operation:
        return None
    denied = None
    for table, op, values in _touches(operation, parsed):
        logical = _logical(table)
        _calls[app][logical].add(op)
        kind = "read" if op in READS else "write" if op in WRITES else "scan" if op == "Scan" else None
        need = NEED.get((logical, kind))
        if need and need not in needs:
            denied = denied or f"{app} may not {op} on {logical} (its needs: {needs})"
        if op == "Scan" and logical == "AppTable":
            names = set((parsed.get("ExpressionAttributeNames") or {}).values())
            projected = parsed.get("Select") == "SPECIFIC_ATTRIBUTES" and names and names <= SWEPT
            if not projected:
                denied = denied or f"{app} may Scan AppTable only projecting {sorted(SWEPT)}"
        for value in values:
            secret = _secret(value)
            if secret:
                _calls[app][logical].add(f"{op} {secret}")
                if logical == "AppTable" and "c" not in needs:
                    denied = denied or f"{app} may not touch {secret} keys (no Credentials need)"
    return denied


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
