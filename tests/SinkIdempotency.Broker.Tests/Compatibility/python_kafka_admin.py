# Drives the embedded broker's retention and ACL admin APIs with kafka-python (Debian's python3-kafka), a
# client with its own protocol code: AlterConfigs, DescribeConfigs with synonyms, DescribeAcls, and a consumer
# reading a partition whose log start offset DeleteRecords moved. Prints one JSON object per step on stdout.
import json
import sys
import time

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from kafka.admin import ACLFilter, ACLOperation, ACLPermissionType, ConfigResource, ConfigResourceType, ResourcePatternFilter, ResourceType, ACLResourcePatternType
from kafka.errors import KafkaError

bootstrap, topic = sys.argv[1], sys.argv[2]


def emit(step, **facts):
    print(json.dumps(dict(step=step, **facts)), flush=True)


admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="py-admin")
altered = admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, topic, configs={"retention.ms": "120000"})])
emit("altered", errors=[resource[0] for resource in altered.resources])

described = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic, configs={"retention.ms": None, "retention.bytes": None})], include_synonyms=True)
entries = {}
for response in described:
    for error_code, _message, _type, _name, configs in response.resources:
        for name, value, _read_only, source, _sensitive, synonyms in configs:
            entries[name] = dict(value=value, source=source, synonyms=[[s[0], s[1], s[2]] for s in synonyms])
emit("described", version=described[0].API_VERSION, entries=entries)

try:
    acls = admin.describe_acls(ACLFilter(principal=None, host="*", operation=ACLOperation.ANY, permission_type=ACLPermissionType.ANY,
                                         resource_pattern=ResourcePatternFilter(ResourceType.GROUP, None, ACLResourcePatternType.ANY)))
    emit("acls", error=None, count=len(acls[0]))
except KafkaError as error:
    emit("acls", error=type(error).__name__)
admin.close()

partition = TopicPartition(topic, 0)
consumer = KafkaConsumer(bootstrap_servers=bootstrap, client_id="py-reader", auto_offset_reset="earliest", enable_auto_commit=False)
start = consumer.beginning_offsets([partition])[partition]
consumer.assign([partition])
consumer.seek(partition, 1)
offsets = []
deadline = time.time() + 60
while len(offsets) < 2 and time.time() < deadline:
    for records in consumer.poll(timeout_ms=500).values():
        offsets.extend(r.offset for r in records)
consumer.close()
emit("consumed", start=start, offsets=offsets)
