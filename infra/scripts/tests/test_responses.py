"""Item reads are written as plain JSON, and every attribute type comes back as it was put."""

import unittest
from unittest import mock

from moto.core.serialize import ResponseSerializer
from support import client, create_table, unique_name

EVERY_TYPE = {
    "pk": {"S": "P"},
    "sk": {"S": "every type"},
    "text": {"S": "naïve 🙂 \"quoted\"\n"},
    "number": {"N": "-12.5"},
    "blob": {"B": b"\x00\xffpacked"},
    "yes": {"BOOL": True},
    "nothing": {"NULL": True},
    "list": {"L": [{"S": "a"}, {"N": "1"}, {"B": b"\x01"}]},
    "map": {"M": {"inner": {"M": {"deep": {"S": "x"}}}, "bytes": {"B": b"\x02"}}},
    "strings": {"SS": ["a", "b"]},
    "numbers": {"NS": ["1", "2.5"]},
    "blobs": {"BS": [b"\x03", b"\x04"]},
}


def normalised(item):
    """Sets come back in any order."""
    return {
        name: {kind: sorted(value) if kind in ("SS", "NS", "BS") else value for kind, value in typed.items()}
        for name, typed in item.items()
    }


class ItemReadTest(unittest.TestCase):
    def setUp(self):
        self.dynamodb = client()
        self.name = unique_name()
        create_table(self.dynamodb, self.name)
        self.dynamodb.put_item(TableName=self.name, Item=EVERY_TYPE)
        self.key = {"pk": EVERY_TYPE["pk"], "sk": EVERY_TYPE["sk"]}

    def reads(self):
        yield "GetItem", self.dynamodb.get_item(TableName=self.name, Key=self.key)["Item"]
        yield "Query", self.dynamodb.query(
            TableName=self.name,
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": {"S": "P"}},
        )["Items"][0]
        yield "BatchGetItem", self.dynamodb.batch_get_item(
            RequestItems={self.name: {"Keys": [self.key]}}
        )["Responses"][self.name][0]
        yield "Scan", self.dynamodb.scan(TableName=self.name)["Items"][0]

    def test_every_attribute_type_comes_back_as_it_was_put(self):
        for operation, item in self.reads():
            with self.subTest(operation=operation):
                self.assertEqual(normalised(item), normalised(EVERY_TYPE))

    def test_item_reads_skip_the_shape_serializer(self):
        with mock.patch.object(ResponseSerializer, "serialize", side_effect=AssertionError("shape serializer")):
            for operation, item in self.reads():
                with self.subTest(operation=operation):
                    self.assertEqual(item["sk"], {"S": "every type"})

    def test_a_page_still_names_where_the_next_one_starts(self):
        for n in range(3):
            self.dynamodb.put_item(TableName=self.name, Item={"pk": {"S": "Q"}, "sk": {"S": f"k{n}"}})
        page = self.dynamodb.query(
            TableName=self.name,
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": {"S": "Q"}},
            Limit=2,
        )
        self.assertEqual(page["Count"], 2)
        self.assertEqual(page["LastEvaluatedKey"], {"pk": {"S": "Q"}, "sk": {"S": "k1"}})


if __name__ == "__main__":
    unittest.main()
