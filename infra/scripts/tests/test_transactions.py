"""A failed TransactWriteItems puts back exactly what it changed, leaves no stream record, and
never copies a table; a committed one keeps everything."""

import copy
import unittest
from unittest import mock

from botocore.exceptions import ClientError
from moto.dynamodb.models.table import Table
from support import backend, client, create_table, item, stream_records, unique_name


def failing_transaction(dynamodb, t):
    """Changes three items (a put over one, an update, a delete), then fails a check."""
    dynamodb.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": t, "Item": item(pk="P", sk="A", lsi1sk="L#9", note="new")}},
            {
                "Update": {
                    "TableName": t,
                    "Key": item(pk="P", sk="B"),
                    "UpdateExpression": "SET lsi1sk = :l, gsi1pk = :g, gsi1sk = :s",
                    "ExpressionAttributeValues": item(**{":l": "L#0", ":g": "G", ":s": "x"}),
                }
            },
            {"Delete": {"TableName": t, "Key": item(pk="P", sk="C")}},
            {"Put": {"TableName": t, "Item": item(pk="P", sk="D", note="added")}},
            {
                "ConditionCheck": {
                    "TableName": t,
                    "Key": item(pk="P", sk="missing"),
                    "ConditionExpression": "attribute_exists(pk)",
                }
            },
        ]
    )


class FailedTransactionTest(unittest.TestCase):
    def setUp(self):
        self.dynamodb = client()
        self.name = unique_name()
        self.table = create_table(self.dynamodb, self.name)
        for sk, lsi in (("A", "L#1"), ("B", "L#2"), ("C", "L#3")):
            self.dynamodb.put_item(TableName=self.name, Item=item(pk="P", sk=sk, lsi1sk=lsi, note="old"))

    def partition(self):
        return self.dynamodb.query(
            TableName=self.name,
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues=item(**{":p": "P"}),
        )["Items"]

    def test_every_item_it_changed_is_put_back(self):
        before = self.partition()
        with self.assertRaises(ClientError) as failure:
            failing_transaction(self.dynamodb, self.name)
        self.assertEqual(failure.exception.response["Error"]["Code"], "TransactionCanceledException")
        self.assertEqual(self.partition(), before)

    def test_the_indexes_are_put_back_too(self):
        with self.assertRaises(ClientError):
            failing_transaction(self.dynamodb, self.name)
        by_lsi = self.dynamodb.query(
            TableName=self.name,
            IndexName="lsi1",
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues=item(**{":p": "P"}),
        )["Items"]
        self.assertEqual([i["lsi1sk"]["S"] for i in by_lsi], ["L#1", "L#2", "L#3"])
        by_gsi = self.dynamodb.query(
            TableName=self.name,
            IndexName="gsi1",
            KeyConditionExpression="gsi1pk = :g",
            ExpressionAttributeValues=item(**{":g": "G"}),
        )["Items"]
        self.assertEqual(by_gsi, [])

    def test_the_stream_holds_no_record_of_it(self):
        with self.assertRaises(ClientError):
            failing_transaction(self.dynamodb, self.name)
        records = stream_records(self.dynamodb, self.name)
        self.assertEqual([r["eventName"] for r in records], ["INSERT"] * 3)
        self.dynamodb.put_item(TableName=self.name, Item=item(pk="P", sk="E"))
        records = stream_records(self.dynamodb, self.name)
        self.assertEqual(len(records), 4)
        self.assertEqual(records[-1]["dynamodb"]["Keys"]["sk"], {"S": "E"})

    def test_no_table_is_copied_and_the_table_stays_the_same_object(self):
        with mock.patch.object(Table, "__deepcopy__", side_effect=AssertionError("table copied"), create=True):
            with self.assertRaises(ClientError):
                failing_transaction(self.dynamodb, self.name)
            self.dynamodb.transact_write_items(
                TransactItems=[{"Put": {"TableName": self.name, "Item": item(pk="P", sk="Z")}}]
            )
        self.assertIs(backend().get_table(self.name), self.table)

    def test_a_committed_transaction_keeps_every_change(self):
        self.dynamodb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": self.name, "Item": item(pk="P", sk="A", note="new")}},
                {"Delete": {"TableName": self.name, "Key": item(pk="P", sk="C")}},
            ]
        )
        notes = {i["sk"]["S"]: i.get("note", {}).get("S") for i in self.partition()}
        self.assertEqual(notes, {"A": "new", "B": "old"})

    def test_copies_are_of_the_touched_items_only(self):
        copied = []
        real = copy.deepcopy

        def counting(value, memo=None):
            if memo is None:  # a copy asked for here, not the recursion inside one
                copied.append(type(value).__name__)
            return real(value, memo)

        with mock.patch("fountain_moto.transactions.copy.deepcopy", side_effect=counting):
            with self.assertRaises(ClientError):
                failing_transaction(self.dynamodb, self.name)
        # One per written item (the new one is None), and moto's own copy of the updated
        # item for its stream record; never a table.
        self.assertEqual(sorted(copied), ["Item"] * 4 + ["NoneType"])


if __name__ == "__main__":
    unittest.main()
