#!/usr/bin/env python3
"""Transactions from real clients against `kafkalab serve` (transaction version 1, as Kafka 4.0 serves these clients:
AddPartitionsToTxn before a partition is written, AddOffsetsToTxn before TxnOffsetCommit, EndTxn without an epoch
bump). confluent-kafka (librdkafka): a consume-transform-produce transaction over two partitions with the consumer's
offsets sent to it, an aborted transaction, and a second producer with the same transactional.id fencing the first.
kafka-python: a committed and an aborted transaction, and offsets sent to a transaction. Consumers read the results
with isolation.level read_committed and read_uncommitted. Prints PASS/FAIL lines; exit 0 only if every check passed.

Usage: transaction_check.py BOOTSTRAP"""
import sys
import uuid

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

BOOTSTRAP = sys.argv[1]
RUN = uuid.uuid4().hex[:6]
failures = 0
admin = AdminClient({"bootstrap.servers": BOOTSTRAP})


def report(name, ok, detail=""):
    global failures
    print(f"{'PASS' if ok else 'FAIL'} {name}{'' if ok else ': ' + detail}", flush=True)
    failures += 0 if ok else 1


def check(name, body):
    """Runs one check; an exception is its failure, and the next checks still run."""
    try:
        body()
    except Exception as error:  # noqa: BLE001 -- a check reports, it does not stop the others
        report(name, False, repr(error))


def create(topic, partitions):
    admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=3)])[topic].result(timeout=15)


def read_all(topic, isolation, expected_count, group=None):
    """Every value a consumer with `isolation` reads from `topic`, from the start, until it has `expected_count` or
    the topic stays quiet."""
    consumer = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": group or f"reader-{uuid.uuid4().hex[:6]}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False, "isolation.level": isolation})
    consumer.subscribe([topic])
    values, quiet = [], 0
    while quiet < 15:
        batch = [m for m in consumer.consume(num_messages=500, timeout=0.3) if m.error() is None]
        values += [m.value().decode() for m in batch]
        quiet = 0 if batch else quiet + 1
        if len(values) >= expected_count and quiet >= 3:
            break
    consumer.close()
    return values


def transactional(transactional_id):
    return Producer({"bootstrap.servers": BOOTSTRAP, "transactional.id": transactional_id, "linger.ms": 5})


# --- confluent-kafka: consume, transform, produce, send the offsets, commit -------------------------------------
source, sink, group = f"txn-in-{RUN}", f"txn-out-{RUN}", f"txn-group-{RUN}"
committed_values = [f"committed {i}" for i in range(20)]
state = {}


def consume_transform_produce():
    create(source, 1)
    create(sink, 2)
    plain = Producer({"bootstrap.servers": BOOTSTRAP})
    for i in range(10):
        plain.produce(source, value=f"input {i}".encode())
    plain.flush(15)
    consumer = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": group, "auto.offset.reset": "earliest",
                         "enable.auto.commit": False, "isolation.level": "read_committed"})
    consumer.subscribe([source])
    inputs = []
    for _ in range(100):
        inputs += [m for m in consumer.consume(num_messages=10, timeout=0.3) if m.error() is None]
        if len(inputs) >= 10:
            break
    producer = transactional(f"ck-ctp-{RUN}")
    producer.init_transactions(30)
    producer.begin_transaction()
    for i, value in enumerate(committed_values):
        producer.produce(sink, value=value.encode(), partition=i % 2)
    positions = consumer.position(consumer.assignment())
    producer.send_offsets_to_transaction(positions, consumer.consumer_group_metadata(), 30)
    producer.commit_transaction(30)
    consumer.close()
    state["positions"] = {(tp.topic, tp.partition): tp.offset for tp in positions}
    state["producer"] = producer
    report("confluent-kafka init_transactions, produce to 2 partitions, send_offsets_to_transaction, commit",
           len(inputs) == 10 and state["positions"] == {(source, 0): 10}, f"{len(inputs)} inputs, positions {state['positions']}")


def committed_records_are_read():
    got = read_all(sink, "read_committed", len(committed_values))
    report("read_committed consumer sees the committed transaction's records", sorted(got) == sorted(committed_values),
           f"{len(got)} records: {sorted(got)[:3]}…")


def group_offsets_are_committed():
    consumer = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": group, "enable.auto.commit": False})
    offsets = consumer.committed([TopicPartition(source, 0)], timeout=15)
    consumer.close()
    got = {(tp.topic, tp.partition): tp.offset for tp in offsets}
    report("the group's offsets sent to the transaction are committed with it", got == state.get("positions"),
           f"committed {got}, expected {state.get('positions')}")


aborted_values = [f"aborted {i}" for i in range(6)]
after_abort = [f"after abort {i}" for i in range(2)]


def aborted_transaction():
    producer = state["producer"]
    producer.begin_transaction()
    for i, value in enumerate(aborted_values):
        producer.produce(sink, value=value.encode(), partition=i % 2)
    producer.flush(15)
    producer.abort_transaction(30)
    producer.begin_transaction()
    for i, value in enumerate(after_abort):
        producer.produce(sink, value=value.encode(), partition=i % 2)
    producer.commit_transaction(30)
    committed = read_all(sink, "read_committed", len(committed_values) + len(after_abort))
    report("an aborted transaction's records are invisible to read_committed",
           sorted(committed) == sorted(committed_values + after_abort), f"{len(committed)} records: {sorted(committed)[:3]}…")
    everything = read_all(sink, "read_uncommitted", len(committed_values) + len(after_abort) + len(aborted_values))
    report("an aborted transaction's records are visible to read_uncommitted",
           sorted(everything) == sorted(committed_values + after_abort + aborted_values), f"{len(everything)} records")


def second_producer_fences_the_first():
    topic = f"txn-fence-{RUN}"
    create(topic, 1)
    first = transactional(f"ck-fence-{RUN}")
    first.init_transactions(30)
    first.begin_transaction()
    first.produce(topic, value=b"from the first producer")
    first.flush(15)
    second = transactional(f"ck-fence-{RUN}")
    second.init_transactions(30)
    error = None
    try:
        first.produce(topic, value=b"after the fence")
        first.flush(15)
        first.commit_transaction(30)
    except KafkaException as raised:
        error = raised.args[0]
    fenced = error is not None and error.fatal() and error.code() in (KafkaError._FENCED, KafkaError.PRODUCER_FENCED,
                                                                       KafkaError.INVALID_PRODUCER_EPOCH)
    report("a second producer with the same transactional.id fences the first (fatal fenced error)", fenced,
           f"first producer's commit raised {error!r}")
    second.begin_transaction()
    second.produce(topic, value=b"from the second producer")
    second.commit_transaction(30)
    got = read_all(topic, "read_committed", 1)
    report("the fencing producer commits; the fenced producer's records stay invisible",
           got == ["from the second producer"], f"read_committed got {got}")


check("confluent-kafka consume-transform-produce transaction", consume_transform_produce)
check("confluent-kafka committed records", committed_records_are_read)
check("confluent-kafka committed group offsets", group_offsets_are_committed)
check("confluent-kafka aborted transaction", aborted_transaction)
check("confluent-kafka fencing", second_producer_fences_the_first)

# --- kafka-python: commit, abort, offsets ---------------------------------------------------------------------
kp_topic, kp_group = f"txn-kp-{RUN}", f"txn-kp-group-{RUN}"


def kafka_python_commit_and_abort():
    from kafka import KafkaConsumer, KafkaProducer
    from kafka.structs import OffsetAndMetadata
    from kafka.structs import TopicPartition as KpTopicPartition

    create(kp_topic, 2)
    producer = KafkaProducer(bootstrap_servers=BOOTSTRAP, transactional_id=f"kp-{RUN}")
    producer.init_transactions()
    producer.begin_transaction()
    for i in range(8):
        producer.send(kp_topic, value=f"kp committed {i}".encode(), partition=i % 2)
    producer.commit_transaction()
    report("kafka-python init_transactions, begin, send to 2 partitions, commit", True)
    producer.begin_transaction()
    for i in range(4):
        producer.send(kp_topic, value=f"kp aborted {i}".encode(), partition=i % 2)
    producer.flush()
    producer.abort_transaction()
    report("kafka-python abort_transaction", True)
    producer.begin_transaction()
    producer.send(kp_topic, value=b"kp with offsets", partition=0)
    producer.send_offsets_to_transaction({KpTopicPartition(kp_topic, 0): OffsetAndMetadata(3, "", -1)}, kp_group)
    producer.commit_transaction()
    producer.close()

    consumer = KafkaConsumer(kp_topic, bootstrap_servers=BOOTSTRAP, group_id=None, auto_offset_reset="earliest",
                             isolation_level="read_committed", consumer_timeout_ms=3000)
    got = sorted(message.value.decode() for message in consumer)
    consumer.close()
    expected = sorted([f"kp committed {i}" for i in range(8)] + ["kp with offsets"])
    report("kafka-python read_committed consumer sees committed records only", got == expected, f"got {got}")
    reader = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": kp_group, "enable.auto.commit": False})
    offsets = reader.committed([TopicPartition(kp_topic, 0)], timeout=15)
    reader.close()
    report("kafka-python send_offsets_to_transaction commits the group's offset", offsets[0].offset == 3,
           f"committed {offsets[0].offset}")


check("kafka-python transactions", kafka_python_commit_and_abort)

sys.exit(1 if failures else 0)
