"""moto's server with the local stack's patches (fountain_moto): DynamoDB transactions that
roll back only what they wrote, Queries that read only their page, stream records and model
objects that do not pile up, and DynamoDB calls and capacity units counted per table.

It is served by waitress rather than moto's werkzeug development server, which closes the
connection after every response: each SDK call then paid for a new connection on both sides
and a new server thread. waitress keeps connections alive and serves from a pool of threads
(large, because every SQS long poll holds one for up to 20 s).

Usage: python emulator.py -H 127.0.0.1 -p PORT
"""

import argparse
import os
import signal
import sys

import waitress
from moto.moto_server.werkzeug_app import create_backend_app

import fountain_moto
from fountain_moto.server import FountainApplication

fountain_moto.apply()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=256)
    args = parser.parse_args()
    # moto writes this port into the URLs it hands out (presigned S3 links, queue URLs).
    os.environ["MOTO_PORT"] = str(args.port)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    waitress.serve(
        FountainApplication(create_backend_app),
        host=args.host,
        port=args.port,
        threads=args.threads,
        connection_limit=4096,
        channel_timeout=120,
        ident="fountain-emulator",
    )


if __name__ == "__main__":
    main()
