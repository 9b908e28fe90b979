"""Stock moto against the patched emulator, side by side, with one client and the same work.

Each server gets the product's table shape and the same sequence of writes and reads a
writer's session causes: per step a TransactWriteItems shaped like a character create (the
item, its name reservation, an outbox item, two condition checks) that commits, one that is
refused, and a Query of one section's elements through the LSI. Printed every `--every`
steps: milliseconds per transaction and per Query over the last steps, and the server's RSS.

Usage: python bench_emulator.py --stock URL --patched URL --stock-pid PID --patched-pid PID
"""

import argparse
import time

import boto3
from botocore.exceptions import ClientError

KEYS = ["pk", "sk", "lsi1sk", "gsi1pk", "gsi1sk"]


def client(url):
    return boto3.client(
        "dynamodb",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def create_table(dynamodb):
    dynamodb.create_table(
        TableName="bench",
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": k, "AttributeType": "S"} for k in KEYS],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        LocalSecondaryIndexes=[{
            "IndexName": "lsi1",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "lsi1sk", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"},
        }],
        GlobalSecondaryIndexes=[{
            "IndexName": "gsi1",
            "KeySchema": [{"AttributeName": "gsi1pk", "KeyType": "HASH"}, {"AttributeName": "gsi1sk", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"},
        }],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )


def s(value):
    return {"S": value}


def transaction(step, refused=False):
    script = s("SCRIPT#bench")
    checks = [
        {"ConditionCheck": {"TableName": "bench", "Key": {"pk": script, "sk": s("SCRIPT")},
                            "ConditionExpression": "attribute_exists(pk)"}},
        {"ConditionCheck": {"TableName": "bench", "Key": {"pk": script, "sk": s("MEMBER#writer")},
                            "ConditionExpression": "attribute_exists(pk)"}},
    ]
    item = {"pk": script, "sk": s(f"ELEMENT#{step:08d}"), "lsi1sk": s(f"ELEMENT#S{step % 50:02d}#{step:08d}"),
            "text": s("She looks up from the stove and says nothing for a long time. " * 3)}
    writes = [
        {"Put": {"TableName": "bench", "Item": item, "ConditionExpression": "attribute_not_exists(pk)"}},
        {"Put": {"TableName": "bench", "Item": {"pk": script, "sk": s(f"NAME#{step}")}}},
        {"Put": {"TableName": "bench", "Item": {"pk": s(f"OUTBOX#{step}"), "sk": s("EVENT"),
                                                  "envelope": s("{}" * 200)}}},
    ]
    if refused:
        checks[0]["ConditionCheck"]["ConditionExpression"] = "attribute_not_exists(pk)"
    return checks + writes


def run(dynamodb, steps, every, pid, label):
    create_table(dynamodb)
    dynamodb.put_item(TableName="bench", Item={"pk": s("SCRIPT#bench"), "sk": s("SCRIPT")})
    dynamodb.put_item(TableName="bench", Item={"pk": s("SCRIPT#bench"), "sk": s("MEMBER#writer")})
    tx_time = query_time = 0.0
    rows = []
    for step in range(1, steps + 1):
        started = time.perf_counter()
        dynamodb.transact_write_items(TransactItems=transaction(step))
        try:
            dynamodb.transact_write_items(TransactItems=transaction(steps + step, refused=True))
        except ClientError:
            pass
        tx_time += time.perf_counter() - started
        started = time.perf_counter()
        dynamodb.query(
            TableName="bench", IndexName="lsi1", ConsistentRead=True, Limit=25,
            KeyConditionExpression="pk = :p AND begins_with(lsi1sk, :s)",
            ExpressionAttributeValues={":p": s("SCRIPT#bench"), ":s": s(f"ELEMENT#S{step % 50:02d}#")},
        )
        query_time += time.perf_counter() - started
        if step % every == 0:
            rows.append((label, step, tx_time / (2 * every) * 1000, query_time / every * 1000, rss_mb(pid)))
            tx_time = query_time = 0.0
    return rows


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stock", required=True)
    parser.add_argument("--patched", required=True)
    parser.add_argument("--stock-pid", type=int, required=True)
    parser.add_argument("--patched-pid", type=int, required=True)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--every", type=int, default=100)
    args = parser.parse_args()
    print(f"# Emulator: stock moto against the patched one ({args.steps} steps: each one committed "
          "and one refused 5-action transaction, and one LSI Query of 25)\n")
    print("| emulator | items written | ms per transaction | ms per Query | RSS MB |")
    print("|---|---|---|---|---|")
    for url, pid, label in ((args.patched, args.patched_pid, "patched"), (args.stock, args.stock_pid, "stock moto 5.2.5")):
        for label, step, tx, query, rss in run(client(url), args.steps, args.every, pid, label):
            print(f"| {label} | {step * 3:,} | {tx:.1f} | {query:.1f} | {rss:.0f} |", flush=True)


if __name__ == "__main__":
    main()
