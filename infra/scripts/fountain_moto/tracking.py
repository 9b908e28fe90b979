"""No instance tracking: moto keeps every model object it ever creates alive.

moto's BaseModel appends each new instance to a class-level list that only its dashboard
reads, so every DynamoDB item version, every stream record and every SQS message stays in
memory for the life of the process (54,508 live items after 60 character creations). The
local stack has no dashboard; objects here live as long as the emulator refers to them.
"""

from moto.core.common_models import BaseModel


def _new(cls, *args, **kwargs):
    return object.__new__(cls)


def apply():
    BaseModel.__new__ = _new
