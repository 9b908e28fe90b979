"""The WSGI layer: DynamoDB served one request at a time, counted, and streams trimmed after.

DynamoDB and DynamoDB Streams requests are served one at a time because moto's backends are
not safe across threads (a transaction's rollback would race a concurrent write); every other
service (SQS long polls included) stays concurrent. GET /_fountain/dynamodb-calls answers the
counts of capacity.py, GET /_fountain/memory what the emulator holds (memory.py), GET
/_fountain/ses/messages the emails SES accepted (mail.py), GET /_fountain/dynamodb-callers
which function used which table how (callers.py), which also refuses the calls a
function's declared needs do not allow, as IAM would in AWS.
"""

import io
import json
import os
import sys
import threading

import moto.server
from moto.moto_server.werkzeug_app import DomainDispatcherApplication

from . import callers, capacity, mail, memory, streams

_dynamodb = threading.Lock()
# The emulator's own reports, read under the DynamoDB lock so they see no call half done.
_REPORTS = {
    "/_fountain/dynamodb-calls": capacity.snapshot,
    "/_fountain/memory": memory.census,
    "/_fountain/ses/messages": mail.sent,
    "/_fountain/dynamodb-callers": callers.snapshot,
}
# FOUNTAIN_TRACE_DYNAMODB=1 prints each DynamoDB call (operation and request) to stderr, to
# see what one API request reads and writes.
_trace = os.environ.get("FOUNTAIN_TRACE_DYNAMODB") == "1"


class FountainApplication(DomainDispatcherApplication):
    def __call__(self, environ, start_response):
        report = _REPORTS.get(environ.get("PATH_INFO"))
        if report is not None:
            with _dynamodb:
                body = report().encode()
            start_response("200 OK", [("Content-Type", "application/json")])
            return [body]
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if not target.startswith("DynamoDB"):
            return super().__call__(environ, start_response)
        with _dynamodb:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length)
            environ["wsgi.input"] = io.BytesIO(body)
            operation = target.split(".")[-1] if target.startswith("DynamoDB_") else ""
            if _trace and operation:
                print(f"DYNAMODB {operation} {body.decode(errors='replace')[:400]}", file=sys.stderr)
            denied = callers.check(environ, operation, capacity.parsed(body) if operation else {})
            if denied:
                payload = json.dumps({
                    "__type": "com.amazonaws.dynamodb.v20120810#AccessDeniedException",
                    "message": f"not authorized (decision 51): {denied}",
                }).encode()
                start_response("400 Bad Request", [("Content-Type", "application/x-amz-json-1.0")])
                return [payload]
            with capacity.request(operation, body if operation else b""):
                response = super().__call__(environ, start_response)
            streams.trim()
            return response


def apply():
    moto.server.DomainDispatcherApplication = FountainApplication
