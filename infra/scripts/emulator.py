"""moto's server with the local stack's patches (fountain_moto): DynamoDB transactions that
roll back only what they wrote, Queries that read only their page, stream records and model
objects that do not pile up, and DynamoDB calls and capacity units counted per table.

Usage: python emulator.py -H 127.0.0.1 -p PORT
"""

import moto.server

import fountain_moto

fountain_moto.apply()

if __name__ == "__main__":
    moto.server.main()
