"""TransactWriteItems that rolls back only what it wrote.

moto backs a transaction by deep-copying every table it touches (once per item), stream shard
included, so each transaction costs time and memory in proportion to every write the emulator
has ever seen. This version keeps a journal instead: before each action it copies the one item
that action may change and notes the stream's length; a failure puts those items back (newest
first) and cuts the stream back, so the relay never sees a record of a change that did not
commit. Validation and cancellation reasons are moto's own; the checks are the same as in
moto's transact_write_items, which this replaces.
"""

import copy

from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (
    ConditionalCheckFailed,
    MockValidationException,
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models import DynamoDBBackend

from . import capacity, indexes


class Journal:
    """What a transaction changed, to put back if it fails."""

    def __init__(self):
        self.items = []
        self.streams = {}

    def note(self, table, hash_key, range_key):
        current = table.get_item(hash_key, range_key)
        self.items.append((table, hash_key, range_key, copy.deepcopy(current)))
        shard = table.stream_shard
        if shard is not None and id(shard) not in self.streams:
            self.streams[id(shard)] = (shard, len(shard.items))

    def roll_back(self):
        for table, hash_key, range_key, item in reversed(self.items):
            indexes.restore(table, hash_key, range_key, item)
        for shard, length in self.streams.values():
            del shard.items[length:]


def transact_write_items(self, transact_items):
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    journal = Journal()
    targets = set()
    errors = []
    for action in transact_items:
        if len(action) > 1:
            raise TransactWriteSingleOpException
        original_item = None
        try:
            op_type, op = next(iter(action.items()))
            if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
                raise ValueError("Unsupported transaction operation")
            table_name = op["TableName"]
            table = self.get_table(table_name)
            if op_type == "Put":
                attrs = op["Item"]
                key = {table.hash_key_attr: attrs[table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = attrs[table.range_key_attr]
            else:
                key = op["Key"]
            target = (str(table_name), str(dict(sorted(key.items()))))
            if target in targets:
                raise MultipleTransactionsException()
            targets.add(target)

            hash_key, range_key = self.get_keys_value(table, key)
            current = table.get_item(hash_key, range_key)
            condition = op.get("ConditionExpression")
            names = op.get("ExpressionAttributeNames")
            values = op.get("ExpressionAttributeValues")
            if op_type == "ConditionCheck":
                capacity.wrote(table, current.size() if current is not None else 0, 0)
            if condition is not None:
                if not get_filter_expression(condition, names, values).expr(current):
                    if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
                        original_item = current.to_json()["Attributes"]
                    raise ConditionalCheckFailed(item=original_item)

            if op_type != "ConditionCheck":
                journal.note(table, hash_key, range_key)
            if op_type == "Put":
                self.put_item(
                    table_name,
                    op["Item"],
                    condition_expression=condition,
                    expression_attribute_names=names,
                    expression_attribute_values=values,
                )
            elif op_type == "Delete":
                self.delete_item(
                    table_name,
                    key,
                    condition_expression=condition,
                    expression_attribute_names=names,
                    expression_attribute_values=values,
                )
            elif op_type == "Update":
                self.update_item(
                    table_name,
                    key,
                    update_expression=op["UpdateExpression"],
                    condition_expression=condition,
                    expression_attribute_names=names,
                    expression_attribute_values=values,
                )
            errors.append((None, None, None))
        except (MultipleTransactionsException, MockValidationException):
            journal.roll_back()
            raise
        except ConditionalCheckFailed as e:
            errors.append(("ConditionalCheckFailed", str(e.message), original_item))
        except Exception as e:  # noqa: BLE001 - moto reports any other failure as a reason
            errors.append((type(e).__name__, str(e), original_item))

    if any(code is not None for code, _, _ in errors):
        journal.roll_back()
        capacity.cancelled()
        raise TransactionCanceledException(errors)


def apply():
    DynamoDBBackend.transact_write_items = transact_write_items
