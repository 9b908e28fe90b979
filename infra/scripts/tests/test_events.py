"""Events reach a rule's SQS target whole, and the rule's JSONPath is parsed once."""

import json
import unittest
from unittest import mock

import jsonpath_ng._ply.yacc as yacc
from support import client, unique_name


class RuleDeliveryTest(unittest.TestCase):
    def test_matching_events_reach_the_queue_whole_without_building_a_parser_each(self):
        events, sqs = client("events"), client("sqs")
        bus, name = unique_name(), unique_name()
        events.create_event_bus(Name=bus)
        queue = sqs.create_queue(QueueName=name)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        events.put_rule(Name=name, EventBusName=bus, EventPattern=json.dumps({"detail-type": ["ScriptCreated"]}))
        events.put_targets(Rule=name, EventBusName=bus, Targets=[{"Id": "q", "Arn": arn}])

        def publish(n):
            events.put_events(Entries=[{
                "EventBusName": bus, "Source": "fountain", "DetailType": "ScriptCreated",
                "Detail": json.dumps({"n": n}),
            }])

        publish(0)  # the first delivery may build the parser
        with mock.patch.object(yacc, "yacc", side_effect=AssertionError("parser rebuilt")):
            for n in range(1, 4):
                publish(n)
        events.put_events(Entries=[{"EventBusName": bus, "Source": "fountain", "DetailType": "Other", "Detail": "{}"}])
        received = []
        while True:
            messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", [])
            if not messages:
                break
            received += [json.loads(m["Body"]) for m in messages]
        self.assertEqual(sorted(m["detail"]["n"] for m in received), [0, 1, 2, 3])
        self.assertTrue(all(m["detail-type"] == "ScriptCreated" for m in received))


if __name__ == "__main__":
    unittest.main()
