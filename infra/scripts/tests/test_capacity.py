"""Calls, item writes and capacity units per table, priced as AWS on-demand prices them."""

import json
import unittest
import urllib.request

from support import ENDPOINT, client, create_table, item, unique_name


def counts(table):
    with urllib.request.urlopen(f"{ENDPOINT}/_fountain/dynamodb-calls") as response:
        return json.load(response)[table]


class CapacityTest(unittest.TestCase):
    def setUp(self):
        self.dynamodb = client()
        self.name = unique_name()
        create_table(self.dynamodb, self.name)

    def test_writes_cost_a_unit_per_kilobyte_and_twice_in_a_transaction(self):
        self.dynamodb.put_item(TableName=self.name, Item=item(pk="P", sk="small"))
        self.dynamodb.put_item(TableName=self.name, Item=item(pk="P", sk="big", body="x" * 2500))
        # An update is priced by the larger of the item before and after.
        self.dynamodb.update_item(
            TableName=self.name,
            Key=item(pk="P", sk="big"),
            UpdateExpression="REMOVE body",
        )
        self.dynamodb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": self.name, "Item": item(pk="P", sk="t")}},
                {
                    "ConditionCheck": {
                        "TableName": self.name,
                        "Key": item(pk="P", sk="small"),
                        "ConditionExpression": "attribute_exists(pk)",
                    }
                },
            ]
        )
        seen = counts(self.name)
        self.assertEqual(seen["calls"], {"CreateTable": 1, "PutItem": 2, "UpdateItem": 1, "TransactWriteItems": 1})
        self.assertEqual(seen["itemWrites"], 4)
        self.assertEqual(seen["writeUnits"], 1 + 3 + 3 + 2 * 2)
        self.assertEqual(seen["readUnits"], 0)

    def test_reads_cost_a_unit_per_4_kb_and_half_when_eventually_consistent(self):
        for n in range(3):
            self.dynamodb.put_item(TableName=self.name, Item=item(pk="P", sk=f"k{n}", body="x" * 3000))
        self.dynamodb.get_item(TableName=self.name, Key=item(pk="P", sk="k0"), ConsistentRead=True)
        self.dynamodb.get_item(TableName=self.name, Key=item(pk="P", sk="k1"))
        self.dynamodb.get_item(TableName=self.name, Key=item(pk="P", sk="none"), ConsistentRead=True)
        # A Query sums its items before rounding: 3 x ~3 KB is 3 units strongly consistent.
        self.dynamodb.query(
            TableName=self.name,
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues=item(**{":p": "P"}),
            ConsistentRead=True,
        )
        self.assertEqual(counts(self.name)["readUnits"], 1 + 0.5 + 1 + 3)


if __name__ == "__main__":
    unittest.main()
