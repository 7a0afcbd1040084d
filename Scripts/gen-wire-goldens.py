#!/usr/bin/env python3
"""Writes Tests/KafkaWireTests/GoldenFrames.swift: message bodies encoded by kafka-python's own schema-driven
encoder, for the Swift codec to decode and re-encode byte for byte.

Run it with the kafkalab venv's Python (kafka-python 3.0.12 installed):
    ~/.cache/kafkalab/venv/bin/python Scripts/gen-wire-goldens.py [SCHEMA_DIR] [OUT_FILE]

Each message is the sample of Scripts/gen-kafka-protocol.py (the same values as the Swift test samples in
GeneratedSamples.swift, so the Swift test also checks that decoding the golden gives the sample), built with
kafka-python's classes, at every generated version kafka-python can encode.
"""

import importlib
import importlib.util
import os
import pkgutil
import sys
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("gen_kafka_protocol", os.path.join(HERE, "gen-kafka-protocol.py"))
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)

import kafka.protocol  # noqa: E402
from kafka.protocol.schemas.fields.codecs.types import BitField  # noqa: E402


def kafka_python_classes():
    """kafka-python's message classes by schema name."""
    classes = {}
    for mod in pkgutil.walk_packages(kafka.protocol.__path__, "kafka.protocol."):
        if ".old" in mod.name or ".schemas" in mod.name:
            continue
        try:
            m = importlib.import_module(mod.name)
        except Exception:  # pylint: disable=broad-except
            continue
        for name, obj in vars(m).items():
            if isinstance(obj, type) and getattr(obj, "_json", None) is not None and obj._json.get("name") == name:
                classes[name] = obj
    return classes


def to_python(kp_field, f, value):
    """Converts a sample value of generated field f to what kafka-python's field kp_field encodes."""
    if value is None:
        return None
    if f.struct is not None:
        kp_struct = kp_field.array_of if f.is_array else kp_field
        if f.is_array:
            return [build(kp_struct, f.struct, v) for v in value]
        return build(kp_struct, f.struct, value)
    if kp_field.type_str == "bitfield":
        bits = BitField.from_32_bit_field(value & 0xFFFFFFFF)
        return None if bits == {31} else bits
    if f.is_array:
        return [convert_primitive(v) for v in value]
    return convert_primitive(value)


def convert_primitive(v):
    if isinstance(v, tuple) and v[0] == "uuid":
        return uuid.UUID(int=((v[1] & 0xFFFFFFFFFFFFFFFF) << 64) | v[2])
    if isinstance(v, tuple) and v[0] == "records":
        return v[1]
    return v


def field_kwargs(kp_struct, s, values):
    kwargs = {}
    for f in s.fields:
        if f.name in values:
            kp_field = kp_struct._fields[f.index]
            kwargs[kp_field.name] = to_python(kp_field, f, values[f.name])
    return kwargs


def build(kp_struct, s, values):
    return kp_struct.data_class(**field_kwargs(kp_struct, s, values))


def encode(cls, msg, version, flip):
    values = gen.sample_struct(msg.root, msg, msg.name, version, 0, 0, flip)
    kwargs = field_kwargs(cls._struct, msg.root, values)
    if msg.api_key < 0:
        return cls(version=version, **kwargs).encode(version=version, header=False)
    return cls(version=version, **kwargs).encode(version=version)


# Whole frames ([length][header][body]) for the header rules: (message, version).
FRAMES = [("ApiVersionsRequest", 0), ("ApiVersionsRequest", 3), ("ApiVersionsResponse", 0), ("ApiVersionsResponse", 3),
          ("ApiVersionsResponse", 4), ("MetadataRequest", 8), ("MetadataRequest", 9), ("MetadataResponse", 8),
          ("MetadataResponse", 9), ("MetadataResponse", 12), ("DescribeClusterRequest", 0),
          ("DescribeClusterResponse", 1), ("ProduceRequest", 9), ("FetchResponse", 12)]


def encode_frame(cls, msg, version):
    """kafka-python's whole frame of the sample: correlation id 7, client id "kafkalab" (requests)."""
    values = gen.sample_struct(msg.root, msg, msg.name, version, 0, 0, False)
    message = cls(version=version, **field_kwargs(cls._struct, msg.root, values))
    if msg.schema["type"] == "request":
        message.with_header(correlation_id=7, client_id="kafkalab")
    else:
        message.with_header(correlation_id=7)
    return message.encode(header=True, framed=True)


def main(argv):
    schema_dir = argv[0] if len(argv) > 0 else gen.default_schema_dir()
    out_file = argv[1] if len(argv) > 1 else os.path.join(HERE, "..", "Tests", "KafkaWireTests", "GoldenFrames.swift")
    pairs, data = gen.load_all(schema_dir)
    classes = kafka_python_classes()
    lines = [gen.HEADER.replace("gen-kafka-protocol.py", "gen-wire-goldens.py").rstrip("\n"),
             "// The bodies are kafka-python 3.0.12's encoding of each message's sample (GeneratedSamples.swift).",
             "", "@testable import KafkaWire", "",
             "/// Message bodies encoded by kafka-python: (type, version, flipped nulls, hex).",
             "let goldenBodies: [(type: any SampledMessage.Type, version: Int16, flip: Bool, hex: String)] = ["]
    skipped = []
    for msg in [m for pair in pairs for m in pair] + data:
        cls = classes[msg.name]
        for version in range(msg.versions[0], msg.versions[1] + 1):
            for flip in (False, True):
                try:
                    body = encode(cls, msg, version, flip)
                except Exception as e:  # pylint: disable=broad-except
                    skipped.append("%s v%d: %s" % (msg.name, version, e))
                    continue
                lines.append("    (Wire.%s.self, %d, %s, \"%s\")," % (msg.name, version, str(flip).lower(), bytes(body).hex()))
    lines.append("]")
    lines.append("")
    lines.append("/// Whole frames encoded by kafka-python (correlation id 7, client id \"kafkalab\"): (type, version, hex).")
    lines.append("let goldenFrames: [(type: any SampledMessage.Type, version: Int16, hex: String)] = [")
    by_name = {m.name: m for m in [m for pair in pairs for m in pair]}
    for name, version in FRAMES:
        frame = encode_frame(classes[name], by_name[name], version)
        lines.append("    (Wire.%s.self, %d, \"%s\")," % (name, version, bytes(frame).hex()))
    lines.append("]")
    if skipped:
        lines.insert(6, "// Not encodable by kafka-python: " + "; ".join(skipped))
    with open(out_file, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    for s in skipped:
        print("skipped:", s, file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
