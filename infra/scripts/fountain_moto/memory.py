"""What the emulator holds, to explain its memory: GET /_fountain/memory answers

{"rssMb": x, "dynamodb": {table: {"items": n, "streamRecords": n}},
 "sqs": {queue: {"messages": n, "rememberedDeletes": n}},
 "archives": {archive: {"events": n, "bytes": n}}, "gc": {"objects": n, "counts": [..]}}

so a soak can divide the growth of the emulator's memory by what it stores.
"""

import gc
import json

from moto.dynamodb.models import dynamodb_backends
from moto.events.models import events_backends
from moto.sqs.models import sqs_backends


def _rss_mb():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _backends(registry):
    for account in registry.values():
        yield from account.values()


def _item_count(table):
    if table.range_key_attr:
        return sum(len(items) for items in table.items.values())
    return len(table.items)


def census():
    tables, queues, archives = {}, {}, {}
    for backend in _backends(dynamodb_backends):
        for name, table in backend.tables.items():
            shard = table.stream_shard
            tables[name] = {
                "items": _item_count(table),
                "streamRecords": len(shard.items) if shard is not None else 0,
            }
    for backend in _backends(sqs_backends):
        for name, queue in backend.queues.items():
            queues[name] = {
                "messages": len(queue._messages),
                "rememberedDeletes": len(queue.deleted_messages),
            }
    for backend in _backends(events_backends):
        for name, archive in backend.archives.items():
            events = archive.events
            size = events.text_size() if hasattr(events, "text_size") else None
            archives[name] = {"events": len(events), "bytes": size}
    return json.dumps(
        {
            "rssMb": _rss_mb(),
            "dynamodb": tables,
            "sqs": queues,
            "archives": archives,
            "gc": {"objects": len(gc.get_objects()), "counts": list(gc.get_count())},
        }
    )
