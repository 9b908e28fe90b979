"""Sorted partitions for the table and each of its indexes, so a Query costs its page.

moto answers every Query by walking all items of the table (every partition, for a table
query and for an index query alike) and sorting the matches, so a read of 20 elements in a
10,000-item table costs the whole table. Here each Table keeps, for itself and for each of
its LSIs and GSIs, a map from partition key to a sorted list of sort keys; writes keep it
current and a Query bisects to the first item of its key range and reads only its page.

Every path that changes an item goes through Table.put_item, Table.delete_item or
DynamoDBBackend.update_item (which mutates the stored item in place, so it is re-indexed
after); transactions and batches call those, and the rollback in transactions.py restores
items through `restore`.
"""

import bisect
import copy

from moto.dynamodb.exceptions import MockValidationException
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import RESULT_SIZE_LIMIT, GlobalSecondaryIndex, Table

from . import capacity


class _Top:
    """Sorts after every key value: the upper bound of all keys that start with a value."""

    def __eq__(self, other):
        return other is self

    def __lt__(self, other):
        return False

    def __gt__(self, other):
        return other is not self

    def __hash__(self):
        return 0


TOP = _Top()


class Partition:
    """The items of one partition key, by sort key: a sorted list and a dict beside it."""

    __slots__ = ("keys", "items")

    def __init__(self):
        self.keys = []
        self.items = {}

    def put(self, key, item):
        if key not in self.items:
            bisect.insort(self.keys, key)
        self.items[key] = item

    def remove(self, key):
        if self.items.pop(key, None) is not None:
            del self.keys[bisect.bisect_left(self.keys, key)]


class Index:
    """One sorted view: the table itself (name None) or one of its secondary indexes."""

    def __init__(self, table, name, hash_attr, range_attr):
        self.table = table
        self.name = name
        self.hash_attr = hash_attr
        self.range_attr = range_attr
        self.partitions = {}

    def entry(self, item):
        """(partition value, sort key) of `item` in this index, or None when it is absent
        (an item without the index's key attributes is not in a sparse index)."""
        attrs = item.attrs
        hash_value = attrs.get(self.hash_attr)
        if hash_value is None:
            return None
        if self.name is None:
            sort = (_value(item.range_key),) if item.range_key is not None else ()
            return _value(hash_value), sort
        sort = ()
        if self.range_attr is not None:
            range_value = attrs.get(self.range_attr)
            if range_value is None:
                return None
            sort = (_value(range_value),)
        # Equal index sort keys are ordered by the table's key, as moto orders them.
        sort += (_value(item.hash_key),)
        if item.range_key is not None:
            sort += (_value(item.range_key),)
        return _value(hash_value), sort

    def start_key(self, exclusive_start_key):
        """The sort key of the item an ExclusiveStartKey names."""
        def value(attr):
            return _value(DynamoType(exclusive_start_key[attr]))

        table = self.table
        sort = ()
        if self.name is None:
            if table.range_key_attr is not None:
                sort = (value(table.range_key_attr),)
            return sort
        if self.range_attr is not None:
            sort = (value(self.range_attr),)
        sort += (value(table.hash_key_attr),)
        if table.range_key_attr is not None:
            sort += (value(table.range_key_attr),)
        return sort


def _value(dynamo_value):
    return dynamo_value.cast_value


def indexes_of(table):
    """The table's sorted views, built from its items on first use."""
    views = table.__dict__.get("_fountain_indexes")
    if views is None:
        views = [Index(table, None, table.hash_key_attr, table.range_key_attr)]
        for index in list(table.indexes) + list(table.global_indexes):
            hash_attr = next(k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH")
            ranges = [k["AttributeName"] for k in index.schema if k["KeyType"] == "RANGE"]
            views.append(Index(table, index.name, hash_attr, ranges[0] if ranges else None))
        table.__dict__["_fountain_indexes"] = views
        for item in table.all_items():
            index_item(table, item)
    return views


def entries(table, item):
    if item is None:
        return []
    return [(view, view.entry(item)) for view in indexes_of(table)]


def index_item(table, item, previous=()):
    """Puts `item` in every view, and takes out what `previous` (its entries before a change)
    held that it no longer does."""
    current = entries(table, item)
    for (view, old), (_, new) in zip(previous, current):
        if old is not None and old != new:
            partition = view.partitions.get(old[0])
            if partition is not None:
                partition.remove(old[1])
    for view, new in current:
        if new is not None:
            view.partitions.setdefault(new[0], Partition()).put(new[1], item)


def unindex_item(table, item):
    for view, entry in entries(table, item):
        if entry is not None:
            partition = view.partitions.get(entry[0])
            if partition is not None:
                partition.remove(entry[1])
                if not partition.keys:
                    del view.partitions[entry[0]]


def restore(table, hash_key, range_key, item):
    """Puts back `item` (None: no item) under the key, without a stream record."""
    current = table.get_item(hash_key, range_key)
    if current is not None:
        unindex_item(table, current)
        if range_key is not None:
            del table.items[hash_key][range_key]
        else:
            del table.items[hash_key]
    if item is not None:
        if range_key is not None:
            table.items[hash_key][range_key] = item
        else:
            table.items[hash_key] = item
        index_item(table, item)


_put_item = Table.put_item
_delete_item = Table.delete_item
_update_item = DynamoDBBackend.update_item
_query = Table.query


def put_item(self, item_attrs, *args, **kwargs):
    old = None
    if self.hash_key_attr in item_attrs and (
        self.range_key_attr is None or self.range_key_attr in item_attrs
    ):
        old = self.get_item(
            DynamoType(item_attrs[self.hash_key_attr]),
            DynamoType(item_attrs[self.range_key_attr]) if self.range_key_attr else None,
        )
    item = _put_item(self, item_attrs, *args, **kwargs)
    if old is not None:
        unindex_item(self, old)
    index_item(self, item)
    capacity.wrote(self, old.size() if old is not None else 0, item.size())
    return item


def delete_item(self, hash_key, range_key):
    item = _delete_item(self, hash_key, range_key)
    if item is not None:
        unindex_item(self, item)
    capacity.wrote(self, item.size() if item is not None else 0, 0)
    return item


def update_item(self, table_name, key, *args, **kwargs):
    table = self.get_table(table_name)
    before = None
    try:
        hash_key, range_key = self.get_keys_value(table, key)
        before = table.get_item(hash_key, range_key)
    except MockValidationException:
        pass
    previous = entries(table, before)
    old_size = before.size() if before is not None else 0
    with capacity.inner_write():
        item = _update_item(self, table_name, key, *args, **kwargs)
    index_item(table, item, previous)
    capacity.wrote(table, old_size, item.size())
    return item


def query(
    self,
    hash_key,
    range_comparison,
    range_objs,
    limit,
    exclusive_start_key,
    scan_index_forward,
    projection_expressions,
    index_name=None,
    consistent_read=False,
    filter_expression=None,
    hash_key_conditions=None,
    range_key_conditions=None,
    **filter_kwargs,
):
    view = next((v for v in indexes_of(self) if v.name == index_name), None)
    simple = (
        view is not None
        and not filter_kwargs
        and len(hash_key_conditions or []) <= 1
        and len(range_key_conditions or []) <= 1
        and not (consistent_read and _is_global(self, index_name))
    )
    if not simple:
        # Unknown index, multi-attribute keys, legacy QueryFilter: moto's own walk.
        return _query(
            self, hash_key, range_comparison, range_objs, limit, exclusive_start_key,
            scan_index_forward, projection_expressions, index_name, consistent_read,
            filter_expression, hash_key_conditions=hash_key_conditions,
            range_key_conditions=range_key_conditions, **filter_kwargs,
        )
    if hash_key_conditions:
        hash_key = hash_key_conditions[0][1]
    partition = view.partitions.get(_value(hash_key)) if hash_key is not None else None
    keys = partition.keys if partition is not None else []
    low, high = _key_range(keys, range_comparison, [_value(v) for v in range_objs])
    if exclusive_start_key:
        start = view.start_key(exclusive_start_key)
        if scan_index_forward:
            low = max(low, bisect.bisect_right(keys, start))
        else:
            high = min(high, bisect.bisect_left(keys, start))
    positions = range(low, high) if scan_index_forward else range(high - 1, low - 1, -1)

    results, size, last_evaluated_key = [], 0, None
    for position in positions:
        item = partition.items[keys[position]]
        item_size = item.size()
        if (limit is not None and len(results) == limit) or (
            size + item_size > RESULT_SIZE_LIMIT
        ):
            last_evaluated_key = self._get_last_evaluated_key(results[-1], index_name)
            break
        results.append(item)
        size += item_size
    capacity.read(self, size, consistent_read)
    scanned_count = len(results)

    if index_name:
        index = self.get_index(index_name)
        results = [index.project(copy.deepcopy(r)) for r in results]
    if filter_expression is not None:
        results = [item for item in results if filter_expression.expr(item)]
    if projection_expressions:
        results = [r.project(projection_expressions) for r in results]
    return results, scanned_count, last_evaluated_key


def _is_global(table, index_name):
    return any(isinstance(i, GlobalSecondaryIndex) and i.name == index_name
               for i in table.global_indexes)


def _key_range(keys, comparison, values):
    """[low, high) of the positions in `keys` whose first part meets the key condition."""
    if comparison is None:
        return 0, len(keys)
    first = values[0] if values else None
    if comparison in ("=", "EQ"):
        return bisect.bisect_left(keys, (first,)), bisect.bisect_right(keys, (first, TOP))
    if comparison in ("<", "LT"):
        return 0, bisect.bisect_left(keys, (first,))
    if comparison in ("<=", "LE"):
        return 0, bisect.bisect_right(keys, (first, TOP))
    if comparison in (">", "GT"):
        return bisect.bisect_right(keys, (first, TOP)), len(keys)
    if comparison in (">=", "GE"):
        return bisect.bisect_left(keys, (first,)), len(keys)
    if comparison == "BETWEEN":
        return bisect.bisect_left(keys, (first,)), bisect.bisect_right(keys, (values[1], TOP))
    if comparison == "BEGINS_WITH":
        low = bisect.bisect_left(keys, (first,))
        after = _after_prefix(first)
        if after is not None:
            return low, bisect.bisect_left(keys, (after,))
        high = low
        while high < len(keys) and keys[high][0].startswith(first):
            high += 1
        return low, high
    raise MockValidationException(f"Unsupported key condition: {comparison}")


def _after_prefix(prefix):
    """The least value above every value that starts with `prefix`, or None if there is none
    to write (an empty prefix, or one ending in the highest code point or byte)."""
    if isinstance(prefix, str) and prefix and ord(prefix[-1]) < 0x10FFFF:
        return prefix[:-1] + chr(ord(prefix[-1]) + 1)
    if isinstance(prefix, bytes) and prefix and prefix[-1] < 0xFF:
        return prefix[:-1] + bytes([prefix[-1] + 1])
    return None


def apply():
    Table.put_item = put_item
    Table.delete_item = delete_item
    Table.query = query
    DynamoDBBackend.update_item = update_item
