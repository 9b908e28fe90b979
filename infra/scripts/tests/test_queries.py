"""Queries read their page from the sorted partitions, and answer exactly what a walk of the
whole table would: every key condition, both directions, page by page, after updates that
move items between index partitions and after deletes."""

import random
import unittest
from unittest import mock

from moto.dynamodb.models.table import Table
from support import client, create_table, item, unique_name

CONDITIONS = [
    (None, []),
    ("=", ["k05"]),
    ("<", ["k05"]),
    ("<=", ["k05"]),
    (">", ["k05"]),
    (">=", ["k05"]),
    ("BETWEEN", ["k03", "k07"]),
    ("BEGINS_WITH", ["k0"]),
    ("BEGINS_WITH", ["k1"]),
]


def expected(items, index, partition, condition, values, forward):
    """The answer by brute force: filter every item, sort, as DynamoDB defines it."""
    hash_attr, range_attr = {
        None: ("pk", "sk"),
        "lsi1": ("pk", "lsi1sk"),
        "gsi1": ("gsi1pk", "gsi1sk"),
    }[index]
    chosen = []
    for attrs in items.values():
        if attrs.get(hash_attr) != partition or range_attr not in attrs:
            continue
        value = attrs[range_attr]
        matches = {
            None: lambda v: True,
            "=": lambda v: v == values[0],
            "<": lambda v: v < values[0],
            "<=": lambda v: v <= values[0],
            ">": lambda v: v > values[0],
            ">=": lambda v: v >= values[0],
            "BETWEEN": lambda v: values[0] <= v <= values[1],
            "BEGINS_WITH": lambda v: v.startswith(values[0]),
        }[condition]
        if matches(value):
            chosen.append(attrs)
    chosen.sort(key=lambda a: (a[range_attr], a["pk"], a["sk"]), reverse=not forward)
    return [(a["pk"], a["sk"]) for a in chosen]


def key_condition(index, condition):
    hash_attr, range_attr = ("gsi1pk", "gsi1sk") if index == "gsi1" else (
        "pk", "lsi1sk" if index == "lsi1" else "sk")
    text = f"{hash_attr} = :h"
    if condition == "BETWEEN":
        text += f" AND {range_attr} BETWEEN :a AND :b"
    elif condition == "BEGINS_WITH":
        text += f" AND begins_with({range_attr}, :a)"
    elif condition is not None:
        text += f" AND {range_attr} {condition} :a"
    return text


class QueryTest(unittest.TestCase):
    def setUp(self):
        self.dynamodb = client()
        self.name = unique_name()
        create_table(self.dynamodb, self.name)
        self.items = {}
        self.random = random.Random(7)

    def put(self, attrs):
        self.dynamodb.put_item(TableName=self.name, Item=item(**attrs))
        self.items[(attrs["pk"], attrs["sk"])] = attrs

    def query_all(self, index, partition, condition, values, forward, limit):
        values_map = {":h": partition}
        for name, value in zip((":a", ":b"), values):
            values_map[name] = value
        request = {
            "TableName": self.name,
            "KeyConditionExpression": key_condition(index, condition),
            "ExpressionAttributeValues": item(**values_map),
            "ScanIndexForward": forward,
            "Limit": limit,
        }
        if index:
            request["IndexName"] = index
        keys, pages = [], 0
        while True:
            page = self.dynamodb.query(**request)
            pages += 1
            keys += [(i["pk"]["S"], i["sk"]["S"]) for i in page["Items"]]
            if "LastEvaluatedKey" not in page:
                return keys, pages
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def fill(self, count):
        for n in range(count):
            attrs = {"pk": self.random.choice(["P1", "P2"]), "sk": f"k{n:02d}"}
            if self.random.random() < 0.8:
                attrs["lsi1sk"] = f"k{self.random.randrange(12):02d}"
            if self.random.random() < 0.6:
                attrs["gsi1pk"] = self.random.choice(["G1", "G2"])
                attrs["gsi1sk"] = f"k{self.random.randrange(12):02d}"
            self.put(attrs)

    def check_every_query(self):
        for index, partition in ((None, "P1"), ("lsi1", "P2"), ("gsi1", "G1"), ("gsi1", "G9")):
            for condition, values in CONDITIONS:
                for forward in (True, False):
                    for limit in (1, 3, 100):
                        with self.subTest(index=index, condition=condition, forward=forward, limit=limit):
                            got, _ = self.query_all(index, partition, condition, values, forward, limit)
                            self.assertEqual(
                                got, expected(self.items, index, partition, condition, values, forward)
                            )

    def test_every_key_condition_in_both_directions_and_pages_matches_a_full_walk(self):
        self.fill(40)
        self.check_every_query()

    def test_updates_and_deletes_move_items_between_index_partitions(self):
        self.fill(40)
        for pk, sk in self.random.sample(sorted(self.items), 15):
            attrs = self.items[(pk, sk)]
            new = {"gsi1pk": self.random.choice(["G1", "G2"]), "gsi1sk": f"k{self.random.randrange(12):02d}",
                   "lsi1sk": f"k{self.random.randrange(12):02d}"}
            self.dynamodb.update_item(
                TableName=self.name,
                Key=item(pk=pk, sk=sk),
                UpdateExpression="SET gsi1pk = :g, gsi1sk = :s, lsi1sk = :l",
                ExpressionAttributeValues=item(**{":g": new["gsi1pk"], ":s": new["gsi1sk"], ":l": new["lsi1sk"]}),
            )
            attrs.update(new)
        for pk, sk in self.random.sample(sorted(self.items), 10):
            self.dynamodb.delete_item(TableName=self.name, Key=item(pk=pk, sk=sk))
            del self.items[(pk, sk)]
        for pk, sk in self.random.sample(sorted(self.items), 5):
            self.dynamodb.update_item(
                TableName=self.name,
                Key=item(pk=pk, sk=sk),
                UpdateExpression="REMOVE gsi1pk, lsi1sk",
            )
            self.items[(pk, sk)].pop("gsi1pk", None)
            self.items[(pk, sk)].pop("lsi1sk", None)
        self.check_every_query()

    def test_a_query_never_walks_the_table(self):
        self.fill(30)
        with mock.patch.object(Table, "all_items", side_effect=AssertionError("walked the table")):
            keys, pages = self.query_all("lsi1", "P1", "BEGINS_WITH", ["k0"], True, 4)
        self.assertEqual(keys, expected(self.items, "lsi1", "P1", "BEGINS_WITH", ["k0"], True))
        self.assertGreater(pages, 1)

    def test_a_page_stops_at_one_megabyte(self):
        blob = "x" * 300_000
        for n in range(5):
            self.put({"pk": "P1", "sk": f"k{n}", "blob": blob})
        keys, pages = self.query_all(None, "P1", None, [], True, 100)
        self.assertEqual(len(keys), 5)
        self.assertEqual(pages, 2)


if __name__ == "__main__":
    unittest.main()
