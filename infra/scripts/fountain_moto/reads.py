"""GetItem and BatchGetItem priced in read units (capacity.py); moto's own lookups (an
UpdateItem reading the item it returns) are not reads a client pays for."""

from moto.dynamodb.models import DynamoDBBackend

from . import capacity

_get_item = DynamoDBBackend.get_item


def get_item(self, table_name, keys, projection_expressions=None):
    table = self.get_table(table_name)
    if capacity.operation() not in ("GetItem", "BatchGetItem"):
        return _get_item(self, table_name, keys, projection_expressions)
    stored = table.get_item(*self.get_keys_value(table, keys))
    capacity.read(table, stored.size() if stored is not None else 0)
    return _get_item(self, table_name, keys, projection_expressions)


def apply():
    DynamoDBBackend.get_item = get_item
