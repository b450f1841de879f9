# Drives the embedded broker with kafka-python (Debian's python3-kafka): produce, consume in a group,
# commit, and a second consumer joining. Prints one JSON object per step on stdout.
import json
import sys
import threading
import time

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

bootstrap, topic, group = sys.argv[1], sys.argv[2], sys.argv[3]


def emit(step, **facts):
    print(json.dumps(dict(step=step, **facts)), flush=True)


producer = KafkaProducer(bootstrap_servers=bootstrap, client_id="py-producer")
for i in range(10):
    producer.send(topic, key=b"k%d" % i, value=b"v%d" % i, partition=i % 2)
producer.flush(timeout=30)
producer.close()
emit("produced", count=10)

common = dict(
    bootstrap_servers=bootstrap,
    group_id=group,
    auto_offset_reset="earliest",
    enable_auto_commit=False,
    session_timeout_ms=6000,
    heartbeat_interval_ms=500,
)
first = KafkaConsumer(topic, client_id="py-1", **common)
values = []
deadline = time.time() + 60
while len(values) < 10 and time.time() < deadline:
    for records in first.poll(timeout_ms=500).values():
        values.extend(r.value.decode() for r in records)
first.commit()
emit("consumed", values=sorted(values), assignment=sorted(tp.partition for tp in first.assignment()))
emit("committed", offsets={str(p): first.committed(TopicPartition(topic, p)) for p in (0, 1)})

# kafka-python's poll() blocks until its group join completes, so each member polls on its own
# thread (as separate processes would); the second member reports its state through this dict.
second_state = {"assignment": [], "position": {}}
stop = threading.Event()


def run_second():
    second = KafkaConsumer(topic, client_id="py-2", **common)
    while not stop.is_set():
        second.poll(timeout_ms=200)
        assignment = sorted(second.assignment(), key=lambda tp: tp.partition)
        second_state["position"] = {str(tp.partition): second.position(tp) for tp in assignment}
        second_state["assignment"] = [tp.partition for tp in assignment]
    second.close()


thread = threading.Thread(target=run_second)
thread.start()
deadline = time.time() + 60
while time.time() < deadline:
    first.poll(timeout_ms=200)
    if len(first.assignment()) == 1 and len(second_state["assignment"]) == 1:
        break
emit(
    "rebalanced",
    first=sorted(tp.partition for tp in first.assignment()),
    second=second_state["assignment"],
    second_position=second_state["position"],
)
stop.set()
thread.join(timeout=30)
first.close()
emit("closed")
