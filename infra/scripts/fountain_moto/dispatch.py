"""Which service answers a request, worked out once per host instead of on every request.

moto's dispatcher lists its own package directory (an isdir per module, over a hundred) to
map a request's host to a service, under a lock every request takes: 17% of the emulator's
time under load. The answer depends only on the host, so it is remembered.
"""

from moto.moto_server.werkzeug_app import DomainDispatcherApplication

_get_backend_for_host = DomainDispatcherApplication.get_backend_for_host
_missing = object()


def get_backend_for_host(self, host):
    known = self.__dict__.setdefault("_fountain_backends", {})
    backend = known.get(host, _missing)
    if backend is _missing:
        backend = known[host] = _get_backend_for_host(self, host)
    return backend


def apply():
    DomainDispatcherApplication.get_backend_for_host = get_backend_for_host
