"""DynamoDB item reads answered as plain JSON instead of through moto's shape serializer.

moto renders every response by first converting it to plain values, then walking the
operation's output shape attribute by attribute; for a Query of 1,000 small items that took
0.75 s of the emulator's CPU (95% of the call). Items are DynamoDB JSON already (each value
knows its own wire form), so the results of GetItem, BatchGetItem, Query and Scan are
written with json.dumps straight from moto's values: binary in base64 and times as epoch
seconds, as the JSON protocol wants. Every other result is converted and serialized as moto
does.
"""

from moto.core.responses import ActionResult
from moto.dynamodb.models.utilities import dynamo_json_dump, dynamo_to_dict
from moto.dynamodb.responses import DynamoResult

ITEM_READS = {"GetItem", "BatchGetItem", "Query", "Scan"}
HEADERS = {"Content-Type": "application/x-amz-json-1.0"}

_execute_result = DynamoResult.execute_result


def init(self, result):
    # Converted only on the way to moto's serializer (execute_result).
    ActionResult.__init__(self, result)


def execute_result(self, context):
    if context.operation_model.name in ITEM_READS:
        return 200, dict(HEADERS), dynamo_json_dump(self.result)
    self._result = dynamo_to_dict(self._result)
    return _execute_result(self, context)


def apply():
    DynamoResult.__init__ = init
    DynamoResult.execute_result = execute_result
