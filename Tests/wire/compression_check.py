#!/usr/bin/env python3
"""Compressed batches from real clients against `kafkalab serve`: confluent-kafka (librdkafka) produces with
compression.type gzip, snappy, lz4 and zstd, kafka-python with gzip; each topic is read back by a consumer, which
gets the stored compressed batches as they were sent. Prints PASS/FAIL lines; exit 0 only if every check passed.

Usage: compression_check.py BOOTSTRAP"""
import sys
import uuid

from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient, NewTopic

BOOTSTRAP = sys.argv[1]
COUNT = 200
failures = 0


def report(name, ok, detail=""):
    global failures
    print(f"{'PASS' if ok else 'FAIL'} {name}{'' if ok else ': ' + detail}", flush=True)
    failures += 0 if ok else 1


def create(topic):
    admin = AdminClient({"bootstrap.servers": BOOTSTRAP})
    admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])[topic].result(timeout=15)


def consume(topic):
    consumer = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": f"g-{topic}", "auto.offset.reset": "earliest",
                         "enable.auto.commit": False})
    consumer.subscribe([topic])
    values = []
    for _ in range(100):
        for message in consumer.consume(num_messages=COUNT, timeout=0.2):
            if message.error() is None:
                values.append(message.value().decode())
        if len(values) >= COUNT:
            break
    consumer.close()
    return values


def expected(codec):
    return [f"{codec} record {i} " + "x" * 40 for i in range(COUNT)]


for codec in ["gzip", "snappy", "lz4", "zstd"]:
    topic = f"compressed-{codec}-{uuid.uuid4().hex[:6]}"
    try:
        create(topic)
        producer = Producer({"bootstrap.servers": BOOTSTRAP, "compression.type": codec, "linger.ms": 20})
        errors = []
        for value in expected(codec):
            producer.produce(topic, key=b"k", value=value.encode(),
                             on_delivery=lambda err, _msg: errors.append(err) if err else None)
        producer.flush(15)
        report(f"confluent-kafka produces with compression.type={codec}", not errors, str(errors[:1]))
        got = consume(topic)
        report(f"confluent-kafka reads the {codec} records back", got == expected(codec),
               f"{len(got)} of {COUNT} records, first {got[:1]}")
    except Exception as error:  # noqa: BLE001 -- a check reports, it does not stop the others
        report(f"confluent-kafka with compression.type={codec}", False, repr(error))

try:
    from kafka import KafkaProducer

    topic = f"compressed-kp-gzip-{uuid.uuid4().hex[:6]}"
    create(topic)
    producer = KafkaProducer(bootstrap_servers=BOOTSTRAP, compression_type="gzip", linger_ms=20)
    for value in expected("gzip"):
        producer.send(topic, key=b"k", value=value.encode())
    producer.flush(15)
    producer.close()
    got = consume(topic)
    report("kafka-python produces with compression_type='gzip', read back", got == expected("gzip"),
           f"{len(got)} of {COUNT} records")
except Exception as error:  # noqa: BLE001
    report("kafka-python with compression_type='gzip'", False, repr(error))

sys.exit(1 if failures else 0)
