"""EventBridge rules that do not rebuild a JSONPath parser for every event they deliver.

For each target of each matching rule, moto parses the input paths of the target's input
transformer (a default set when there is none) with jsonpath_ng, whose parse builds a new PLY
parser every time: about a quarter of the emulator's time when every change publishes an
event. A parsed path is read-only, so each is parsed once.
"""

import functools

import jsonpath_ng.ext


def apply():
    jsonpath_ng.ext.parse = functools.lru_cache(maxsize=1024)(jsonpath_ng.ext.parse)
