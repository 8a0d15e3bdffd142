"""A real S3-compatible server for the tests that put media in a bucket: moto in server mode on a loopback port.

Shared by the storage tests (tests/deployment/test_s3_storage.py) and the backup round trip
(tests/privacy/test_backup.py), so both talk to the same kind of server with the same settings: the environment
variables production settings read (`aws_environment`) and a boto3 client of our own to look in the bucket from
outside the app (`client`).
"""

from contextlib import contextmanager

import boto3
from moto.server import ThreadedMotoServer

REGION = "eu-west-2"
CREDENTIALS = {"aws_access_key_id": "AKIAMOTOTESTKEY00000", "aws_secret_access_key": "moto-test-secret-key"}


@contextmanager
def moto_server():
    """A running moto server for the block; yields its endpoint URL (http://127.0.0.1:<port>). Port 0: the
    system gives it a free port when it binds, so parallel test workers never race for one."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def client(endpoint):
    return boto3.client("s3", endpoint_url=endpoint, region_name=REGION, **CREDENTIALS)


def create_bucket(endpoint, bucket):
    s3 = client(endpoint)
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    return s3


def aws_environment(endpoint, bucket):
    """The environment variables that switch the settings' media storage to `bucket` on this server."""
    return {
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_ACCESS_KEY_ID": CREDENTIALS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"],
    }


def objects(s3, bucket):
    """{key: bytes} of every object in the bucket, read with our own client."""
    keys = [
        item["Key"]
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        for item in page.get("Contents", ())
    ]
    return {key: s3.get_object(Bucket=bucket, Key=key)["Body"].read() for key in keys}
