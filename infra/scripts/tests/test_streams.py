"""Stream records are dropped once every live reader has passed them (beyond the newest few)
or once older than the retention; sequence numbers and iterators behave as before."""

import datetime
import time
import unittest
from unittest import mock

from support import backend, client, create_table, item, unique_name

from fountain_moto import streams  # after support, which puts it on the path


def put(dynamodb, table, count, start=0):
    for n in range(start, start + count):
        dynamodb.put_item(TableName=table, Item=item(pk="P", sk=f"k{n:04d}"))


def trim_now():
    with mock.patch.object(streams, "_last_trim", 0.0):
        streams.trim()


class StreamTrimTest(unittest.TestCase):
    def setUp(self):
        self.dynamodb = client()
        self.streams = client("dynamodbstreams")
        self.name = unique_name()
        self.table = create_table(self.dynamodb, self.name)
        self.arn = self.dynamodb.describe_table(TableName=self.name)["Table"]["LatestStreamArn"]
        self.shard_id = self.streams.describe_stream(StreamArn=self.arn)["StreamDescription"]["Shards"][0]["ShardId"]
        self.keep = mock.patch.object(streams, "KEEP_PASSED", 5)
        self.keep.start()

    def tearDown(self):
        self.keep.stop()

    def iterator(self, kind, sequence=None):
        extra = {"SequenceNumber": sequence} if sequence else {}
        return self.streams.get_shard_iterator(
            StreamArn=self.arn, ShardId=self.shard_id, ShardIteratorType=kind, **extra
        )["ShardIterator"]

    def read(self, iterator, limit=1000):
        page = self.streams.get_records(ShardIterator=iterator, Limit=limit)
        return [r["dynamodb"]["Keys"]["sk"]["S"] for r in page["Records"]], page["NextShardIterator"]

    def test_records_every_reader_passed_are_dropped_but_the_newest_few(self):
        put(self.dynamodb, self.name, 20)
        keys, following = self.read(self.iterator("TRIM_HORIZON"), limit=15)
        self.assertEqual(len(keys), 15)
        trim_now()
        shard = self.table.stream_shard
        # The reader is at record 15; the newest 5 are kept whatever readers passed.
        self.assertEqual(len(shard.items), 5)
        keys, following = self.read(following)
        self.assertEqual(keys, [f"k{n:04d}" for n in range(15, 20)])
        trim_now()
        self.assertEqual(len(shard.items), 5)

    def test_a_slow_reader_holds_what_it_has_not_read(self):
        put(self.dynamodb, self.name, 20)
        slow = self.iterator("TRIM_HORIZON")
        _, fast = self.read(self.iterator("TRIM_HORIZON"))
        trim_now()
        keys, _ = self.read(slow)
        self.assertEqual(keys, [f"k{n:04d}" for n in range(20)])

    def test_sequence_numbers_and_iterators_survive_a_trim(self):
        put(self.dynamodb, self.name, 20)
        page = self.streams.get_records(ShardIterator=self.iterator("TRIM_HORIZON"), Limit=12)
        last = page["Records"][-1]["dynamodb"]["SequenceNumber"]
        trim_now()
        keys, _ = self.read(self.iterator("AFTER_SEQUENCE_NUMBER", last))
        self.assertEqual(keys, [f"k{n:04d}" for n in range(12, 20)])
        latest = self.iterator("LATEST")
        put(self.dynamodb, self.name, 2, start=20)
        keys, _ = self.read(latest)
        self.assertEqual(keys, ["k0020", "k0021"])
        keys, _ = self.read(self.iterator("TRIM_HORIZON"))
        self.assertEqual(keys[0], "k0012")
        numbers = [int(r["dynamodb"]["SequenceNumber"]) for r in self.streams.get_records(
            ShardIterator=self.iterator("TRIM_HORIZON"))["Records"]]
        self.assertEqual(numbers, list(range(numbers[0], numbers[0] + len(numbers))))
        self.assertEqual(numbers[0], int(last) + 1)

    def test_without_readers_records_live_until_the_retention(self):
        put(self.dynamodb, self.name, 10)
        trim_now()
        self.assertEqual(len(self.table.stream_shard.items), 10)
        with mock.patch.object(streams, "RETENTION", datetime.timedelta(seconds=0)):
            trim_now()
        self.assertEqual(len(self.table.stream_shard.items), 0)
        put(self.dynamodb, self.name, 1, start=10)
        keys, _ = self.read(self.iterator("TRIM_HORIZON"))
        self.assertEqual(keys, ["k0010"])

    def test_iterators_expire_after_fifteen_minutes_and_stop_holding_records(self):
        put(self.dynamodb, self.name, 20)
        self.iterator("TRIM_HORIZON")  # a reader that never reads
        trim_now()
        self.assertEqual(len(self.table.stream_shard.items), 20)
        later = time.monotonic() + streams.ITERATOR_LIFETIME + 1
        with mock.patch.object(streams.time, "monotonic", return_value=later):
            trim_now()
        remaining = [i for i in streams._backends for i in i.shard_iterators.values()
                     if i.stream_shard is self.table.stream_shard]
        self.assertEqual(remaining, [])
        self.assertEqual(len(self.table.stream_shard.items), 20)  # no live reader: kept by age


class IteratorExpiryTest(unittest.TestCase):
    def test_expiry_visits_only_the_expired_iterators_and_stops_at_the_first_live_one(self):
        class Iterator:
            def __init__(self, created):
                self.created = created

        class Visited(dict):
            seen = 0

            def items(self):
                for pair in super().items():
                    Visited.seen += 1
                    yield pair

        iterators = Visited((f"arn{n}", Iterator(float(n))) for n in range(10_000))
        streams.forget_expired(iterators, expired=3.0)
        self.assertEqual(list(iterators)[:2], ["arn3", "arn4"])
        self.assertEqual(len(iterators), 9_997)
        self.assertEqual(Visited.seen, 4)


class TrackingTest(unittest.TestCase):
    def test_moto_keeps_no_list_of_every_object_it_made(self):
        from moto.dynamodb.models.dynamo_type import Item
        from moto.dynamodb.models.table import StreamRecord

        dynamodb = client()
        name = unique_name()
        create_table(dynamodb, name)
        put(dynamodb, name, 50)
        self.assertEqual(Item.instances_tracked, [])
        self.assertEqual(StreamRecord.instances_tracked, [])
        self.assertEqual(len(backend().get_table(name).stream_shard.items), 50)


if __name__ == "__main__":
    unittest.main()
