"""Shared set-up for the emulator patch tests: the emulator's WSGI application (moto with
fountain_moto applied) served on a thread of the test process, so a test drives it over HTTP
with boto3 as the product does and can still look at moto's objects; and a table shaped like
the product's (pk/sk, an LSI and a sparse GSI, a NEW_IMAGE stream), one per test."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import threading  # noqa: E402
import uuid  # noqa: E402

import boto3  # noqa: E402
import fountain_moto  # noqa: E402
from fountain_moto.server import FountainApplication  # noqa: E402
from moto.dynamodb.models import dynamodb_backends  # noqa: E402
from moto.moto_server.werkzeug_app import create_backend_app  # noqa: E402
from werkzeug.serving import WSGIRequestHandler, make_server  # noqa: E402

fountain_moto.apply()

REGION = "us-east-1"
ACCOUNT = "123456789012"


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


_server = make_server(
    "127.0.0.1", 0, FountainApplication(create_backend_app), threaded=True, request_handler=_Quiet
)
threading.Thread(target=_server.serve_forever, daemon=True).start()
ENDPOINT = f"http://127.0.0.1:{_server.server_port}"


def client(service="dynamodb"):
    return boto3.client(
        service,
        endpoint_url=ENDPOINT,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def unique_name():
    return f"t-{uuid.uuid4().hex[:12]}"


def create_table(dynamodb, name):
    keys = ["pk", "sk", "lsi1sk", "gsi1pk", "gsi1sk"]
    dynamodb.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": k, "AttributeType": "S"} for k in keys],
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        LocalSecondaryIndexes=[
            {
                "IndexName": "lsi1",
                "KeySchema": [
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "lsi1sk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "gsi1",
                "KeySchema": [
                    {"AttributeName": "gsi1pk", "KeyType": "HASH"},
                    {"AttributeName": "gsi1sk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )
    return backend().get_table(name)


def backend():
    return dynamodb_backends[ACCOUNT][REGION]


def item(**attrs):
    return {name: {"S": value} for name, value in attrs.items()}


def stream_records(dynamodb, table, iterator_type="TRIM_HORIZON"):
    streams = client("dynamodbstreams")
    arn = dynamodb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard, ShardIteratorType=iterator_type
    )["ShardIterator"]
    records = []
    while True:
        page = streams.get_records(ShardIterator=iterator, Limit=1000)
        records += page["Records"]
        iterator = page["NextShardIterator"]
        if not page["Records"]:
            return records


__all__ = ["ENDPOINT", "client", "create_table", "backend", "item", "stream_records", "unique_name"]
