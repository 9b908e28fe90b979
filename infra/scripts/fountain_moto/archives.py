"""EventBridge archives that keep their events as compact JSON text.

The template archives every event on the bus (for replay), and moto keeps each archived
event as a tree of Python dicts and strings, several times its JSON size, for as long as the
emulator runs. Here an archive stores each event as its JSON text and decodes it again when
it is read (a replay, or a describe counting them), so replay still works locally and an
archived event costs about its own size.
"""

import json

from moto.events.models import Archive

_archive_init = Archive.__init__


class CompactEvents(list):
    """A list of events held as JSON text: appended as dicts, read back as dicts."""

    def append(self, event):
        super().append(json.dumps(event, separators=(",", ":")))

    def __iter__(self):
        for text in super().__iter__():
            yield json.loads(text)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [json.loads(text) for text in super().__getitem__(index)]
        return json.loads(super().__getitem__(index))

    def text_size(self):
        return sum(len(text) for text in super().__iter__())


def archive_init(self, *args, **kwargs):
    _archive_init(self, *args, **kwargs)
    self.events = CompactEvents()


def apply():
    Archive.__init__ = archive_init
