"""callers.py: a call is refused as IAM would refuse it, from the needs in the caller's name."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from fountain_moto import callers  # noqa: E402


def environ(app):
    return {"HTTP_X_AMZ_USER_AGENT": f"aws-sdk-rust/1.3 app/{app}"}


def get(table, pk):
    return {"TableName": table, "Key": {"pk": {"S": pk}, "sk": {"S": "X"}}}


class CheckTest(unittest.TestCase):
    def test_reads_need_the_read_need_and_writes_the_write_need(self):
        self.assertIsNone(callers.check(environ("get_me.r"), "GetItem", get("s-AppTable", "USER#a")))
        refused = callers.check(environ("get_me.r"), "PutItem", {"TableName": "s-AppTable", "Item": {"pk": {"S": "USER#a"}}})
        self.assertIn("may not PutItem on AppTable", refused)
        self.assertIn("may not GetItem on EventStoreTable", callers.check(environ("get_me.r"), "GetItem", get("s-EventStoreTable", "EVENT#1")))

    def test_identity_secrets_need_the_credentials_need(self):
        self.assertIn("CREDENTIAL#", callers.check(environ("get_me.r"), "GetItem", get("s-AppTable", "CREDENTIAL#a")))
        self.assertIsNone(callers.check(environ("login.rwc"), "GetItem", get("s-AppTable", "CREDENTIAL#a")))
        transaction = {"TransactItems": [{"Put": {"TableName": "s-AppTable", "Item": {"pk": {"S": "REFRESH#h"}}}}]}
        self.assertIsNotNone(callers.check(environ("logout.w"), "TransactWriteItems", transaction))

    def test_only_a_projected_sweep_may_scan(self):
        scan = {"TableName": "s-AppTable", "Select": "SPECIFIC_ATTRIBUTES", "ExpressionAttributeNames": {"#a0": "pk", "#a1": "sk"}}
        self.assertIsNone(callers.check(environ("reconcile.rws"), "Scan", scan))
        self.assertIsNotNone(callers.check(environ("reconcile.rws"), "Scan", {"TableName": "s-AppTable"}))
        self.assertIsNotNone(callers.check(environ("list_scripts.r"), "Scan", scan))

    def test_calls_without_a_named_caller_pass(self):
        self.assertIsNone(callers.check({}, "PutItem", {"TableName": "s-AppTable", "Item": {"pk": {"S": "CREDENTIAL#a"}}}))


if __name__ == "__main__":
    unittest.main()
