"""Bounded memory outside DynamoDB: SQS forgets old deleted receipt handles, archives keep
events as compact JSON and still replay them, and GET /_fountain/memory counts what is held."""

import json
import time
import unittest
import urllib.request
from unittest import mock

from fountain_moto import queues
from fountain_moto.archives import CompactEvents
from moto.events.models import events_backends
from moto.sqs.models import sqs_backends
from support import ACCOUNT, ENDPOINT, REGION, client, create_table, unique_name


def _queue(name):
    return sqs_backends[ACCOUNT][REGION].queues[name]


class DeletedHandlesTest(unittest.TestCase):
    def test_a_queue_remembers_only_the_newest_deleted_handles(self):
        sqs, name = client("sqs"), unique_name()
        with mock.patch.object(queues, "REMEMBERED", 3):
            url = sqs.create_queue(QueueName=name)["QueueUrl"]
        handles = []
        for n in range(5):
            sqs.send_message(QueueUrl=url, MessageBody=str(n))
            message = sqs.receive_message(QueueUrl=url)["Messages"][0]
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            handles.append(message["ReceiptHandle"])

        self.assertEqual(len(_queue(name).deleted_messages), 3)
        # A late duplicate delete of a recent message succeeds quietly, as in AWS.
        sqs.delete_message(QueueUrl=url, ReceiptHandle=handles[-1])
        # The oldest is forgotten: deleting it again is refused as an expired handle would be.
        with self.assertRaises(sqs.exceptions.ReceiptHandleIsInvalid):
            sqs.delete_message(QueueUrl=url, ReceiptHandle=handles[0])


class ArchiveTest(unittest.TestCase):
    def test_archived_events_are_kept_as_json_and_replay_to_the_rules(self):
        events, sqs = client("events"), client("sqs")
        bus, name = unique_name(), unique_name()
        bus_arn = events.create_event_bus(Name=bus)["EventBusArn"]
        events.create_archive(ArchiveName=name, EventSourceArn=bus_arn, EventPattern=json.dumps({"source": ["fountain"]}))
        for n in range(3):
            events.put_events(Entries=[{
                "EventBusName": bus, "Source": "fountain", "DetailType": "ScriptCreated",
                "Detail": json.dumps({"n": n}),
            }])

        archive = events_backends[ACCOUNT][REGION].archives[name]
        self.assertIsInstance(archive.events, CompactEvents)
        self.assertTrue(all(isinstance(text, str) for text in list.__iter__(archive.events)))
        self.assertEqual([event["detail"]["n"] for event in archive.events], [0, 1, 2])
        self.assertEqual(events.describe_archive(ArchiveName=name)["EventCount"], 3)

        queue = sqs.create_queue(QueueName=name)["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        events.put_rule(Name=name, EventBusName=bus, EventPattern=json.dumps({"detail-type": ["ScriptCreated"]}))
        events.put_targets(Rule=name, EventBusName=bus, Targets=[{"Id": "q", "Arn": queue_arn}])
        events.start_replay(
            ReplayName=name,
            EventSourceArn=f"{archive.arn}",
            EventStartTime=0,
            EventEndTime=time.time() + 60,
            Destination={"Arn": bus_arn},
        )
        replayed = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", [])
        self.assertEqual(sorted(json.loads(m["Body"])["detail"]["n"] for m in replayed), [0, 1, 2])


class CensusTest(unittest.TestCase):
    def test_the_census_counts_items_stream_records_messages_and_archived_events(self):
        dynamodb, sqs, name = client(), client("sqs"), unique_name()
        create_table(dynamodb, name)
        for n in range(4):
            dynamodb.put_item(TableName=name, Item={"pk": {"S": "p"}, "sk": {"S": str(n)}})
        dynamodb.put_item(TableName=name, Item={"pk": {"S": "p"}, "sk": {"S": "0"}, "v": {"N": "1"}})
        url = sqs.create_queue(QueueName=name)["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="x")

        with urllib.request.urlopen(f"{ENDPOINT}/_fountain/memory") as response:
            census = json.load(response)

        self.assertEqual(census["dynamodb"][name], {"items": 4, "streamRecords": 5})
        self.assertEqual(census["sqs"][name], {"messages": 1, "rememberedDeletes": 0})
        self.assertGreater(census["rssMb"], 0)
        self.assertGreater(census["gc"]["objects"], 0)


if __name__ == "__main__":
    unittest.main()
