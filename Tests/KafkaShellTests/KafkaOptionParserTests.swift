import Testing
@testable import KafkaShell

/// argparse4j 0.7.0 as `kafka-producer-perf-test.sh` (4.0.0) uses it. Expected texts come from the real
/// argparse4j 0.7.0 classes (built from its source tag) run on Java 17: `ProducerPerformance.argParser()`'s
/// definitions with `handleError`, and `TextHelper.wrap(new ASCIITextWidthCounter(), msg + "\n", 75, 0, "", "")`.
@Suite struct KafkaOptionParserTests {
    @Test func errorLinesWrapAndJustifyAsArgparse4j() {
        let cases: [(String, [String])] = [
            ("producer-performance: error: ambiguous option: --pr could match --print-metrics, --producer-props, --producer.config",
             ["producer-performance: error: ambiguous  option:  --pr  could match --print-", "metrics, --producer-props, --producer.config"]),
            ("producer-performance: error: ambiguous option: --produc could match --producer-props, --producer.config",
             ["producer-performance: error:  ambiguous  option:  --produc  could  match --", "producer-props, --producer.config"]),
            ("producer-performance: error: ambiguous option: --t could match --throughput, --topic, --transaction-duration-ms, --transactional-id",
             ["producer-performance:  error:  ambiguous   option:   --t   could  match  --", "throughput, --topic, --transaction-duration-ms, --transactional-id"]),
            ("producer-performance: error: argument --producer-props: expected 1 argument(s)",
             ["producer-performance: error: argument --producer-props: expected 1 argument", "(s)"]),
            ("producer-performance: error: one of the arguments --record-size --payload-file --payload-monotonic is required",
             ["producer-performance: error: one of  the arguments --record-size --payload-", "file --payload-monotonic is required"]),
            ("producer-performance: error: argument --num-records: could not convert 'x' to Long (For input string: \"x\")",
             ["producer-performance: error: argument --num-records:  could not convert 'x'", "to Long (For input string: \"x\")"]),
            ("producer-performance: error: unrecognized arguments: '--bootstrap-server'",
             ["producer-performance: error: unrecognized arguments: '--bootstrap-server'"]),
        ]
        for (message, expected) in cases {
            #expect(KafkaOptionParser.argparseWrap(message) == expected, "\(message)")
        }
    }

    /// 60 generated messages (seeded), wrapped by the real `TextHelper.wrap`.
    @Test func generatedMessagesWrapAsArgparse4j() {
        let vectors: [(String, String)] = [
        ("producer-performance: error: argument --topic --num-records --payload-file --x, is required", "producer-performance: error: argument  --topic --num-records --payload-file\n--x, is required"),
        ("producer-performance: error: unrecognized arguments: '-1 --print-metrics is required", "producer-performance: error:  unrecognized  arguments:  '-1 --print-metrics\nis required"),
        ("producer-performance: error: ambiguous option: --topic, -1 is required", "producer-performance: error: ambiguous option: --topic, -1 is required"),
        ("producer-performance: error: one of the arguments --transactional-id --producer.config --transactional-id is required", "producer-performance: error: one  of  the  arguments  --transactional-id --\nproducer.config --transactional-id is required"),
        ("producer-performance: error: unrecognized arguments: '--print-metrics, --throughput --x, --help --bootstrap-server is required", "producer-performance: error: unrecognized  arguments:  '--print-metrics, --\nthroughput --x, --help --bootstrap-server is required"),
        ("producer-performance: error: unrecognized arguments: '--bootstrap-server --transactional-id, --help, '--abc', --bootstrap-server is required", "producer-performance: error: unrecognized arguments: '--bootstrap-server --\ntransactional-id, --help, '--abc', --bootstrap-server is required"),
        ("producer-performance: error: one of the arguments --throughput, acks=all, --payload-delimiter, --help --num-records, --payload-monotonic is required", "producer-performance: error: one of  the  arguments --throughput, acks=all,\n--payload-delimiter, --help --num-records, --payload-monotonic is required"),
        ("producer-performance: error: argument '--abc', --payload-monotonic --transactional-id, --payload-monotonic --producer-props --producer.config, --print-metrics is required", "producer-performance:  error:  argument   '--abc',  --payload-monotonic  --\ntransactional-id, --payload-monotonic  --producer-props  --producer.config,\n--print-metrics is required"),
        ("producer-performance: error: unrecognized arguments: '--producer-props, --payload-file --print-metrics --print-metrics, is required", "producer-performance: error: unrecognized  arguments: '--producer-props, --\npayload-file --print-metrics --print-metrics, is required"),
        ("producer-performance: error: argument --payload-file, --record-size --throughput, acks=all --transaction-duration-ms --producer.config, --help, is required", "producer-performance:  error:  argument  --payload-file,  --record-size  --\nthroughput, acks=all  --transaction-duration-ms  --producer.config, --help,\nis required"),
        ("producer-performance: error: unrecognized arguments: ''--abc', --throughput --payload-delimiter --record-size, --transactional-id, --payload-delimiter --record-size, is required", "producer-performance:   error:   unrecognized   arguments:   ''--abc',   --\nthroughput  --payload-delimiter   --record-size,   --transactional-id,   --\npayload-delimiter --record-size, is required"),
        ("producer-performance: error: unrecognized arguments: '--bootstrap-server --bootstrap-server, --bootstrap-server --help --payload-file is required", "producer-performance: error: unrecognized arguments: '--bootstrap-server --\nbootstrap-server, --bootstrap-server --help --payload-file is required"),
        ("producer-performance: error: unrecognized arguments: '--topic --topic, is required", "producer-performance: error: unrecognized  arguments:  '--topic --topic, is\nrequired"),
        ("producer-performance: error: argument --bootstrap-server, --transactional-id --producer-props is required", "producer-performance: error: argument  --bootstrap-server, --transactional-\nid --producer-props is required"),
        ("producer-performance: error: unrecognized arguments: '--topic, --payload-monotonic --topic, '--abc' --payload-delimiter is required", "producer-performance: error: unrecognized  arguments:  '--topic, --payload-\nmonotonic --topic, '--abc' --payload-delimiter is required"),
        ("producer-performance: error: argument acks=all --help, --producer.config --bootstrap-server --producer-props is required", "producer-performance: error: argument acks=all --help, --producer.config --\nbootstrap-server --producer-props is required"),
        ("producer-performance: error: one of the arguments --producer.config '--abc', --record-size --transaction-duration-ms, --transactional-id --bootstrap-server --payload-monotonic, is required", "producer-performance: error: one  of  the  arguments  --producer.config '--\nabc',  --record-size   --transaction-duration-ms,   --transactional-id   --\nbootstrap-server --payload-monotonic, is required"),
        ("producer-performance: error: one of the arguments --print-metrics --throughput, --topic --payload-file --num-records, --transactional-id --bootstrap-server, is required", "producer-performance:  error:  one  of  the  arguments  --print-metrics  --\nthroughput, --topic  --payload-file  --num-records,  --transactional-id  --\nbootstrap-server, is required"),
        ("producer-performance: error: ambiguous option: --bootstrap-server --producer.config, --producer.config --payload-monotonic, --record-size is required", "producer-performance:  error:  ambiguous   option:   --bootstrap-server  --\nproducer.config, --producer.config  --payload-monotonic,  --record-size  is\nrequired"),
        ("producer-performance: error: unrecognized arguments: '--transactional-id '--abc', bootstrap.servers=localhost:9092 bootstrap.servers=localhost:9092 --bootstrap-server, --payload-monotonic --payload-delimiter, is required", "producer-performance: error:  unrecognized  arguments:  '--transactional-id\n'--abc', bootstrap.servers=localhost:9092  bootstrap.servers=localhost:9092\n--bootstrap-server, --payload-monotonic --payload-delimiter, is required"),
        ("producer-performance: error: unrecognized arguments: '--bootstrap-server, --producer-props is required", "producer-performance: error:  unrecognized  arguments: '--bootstrap-server,\n--producer-props is required"),
        ("producer-performance: error: argument --help, --print-metrics, --x --payload-file --x, is required", "producer-performance:  error:  argument  --help,  --print-metrics,  --x  --\npayload-file --x, is required"),
        ("producer-performance: error: one of the arguments acks=all --record-size, --transactional-id, bootstrap.servers=localhost:9092 --producer.config, '--abc' is required", "producer-performance: error: one of  the  arguments acks=all --record-size,\n--transactional-id, bootstrap.servers=localhost:9092 --producer.config, '--\nabc' is required"),
        ("producer-performance: error: ambiguous option: --topic --payload-monotonic --producer.config --producer.config, --throughput, --topic is required", "producer-performance: error: ambiguous  option: --topic --payload-monotonic\n--producer.config --producer.config, --throughput, --topic is required"),
        ("producer-performance: error: ambiguous option: acks=all --transaction-duration-ms --x, --payload-delimiter --x is required", "producer-performance:  error:  ambiguous  option:  acks=all  --transaction-\nduration-ms --x, --payload-delimiter --x is required"),
        ("producer-performance: error: unrecognized arguments: ''--abc', '--abc', --x '--abc' is required", "producer-performance: error: unrecognized arguments:  ''--abc', '--abc', --\nx '--abc' is required"),
        ("producer-performance: error: one of the arguments --producer.config, --transactional-id is required", "producer-performance: error: one  of  the  arguments  --producer.config, --\ntransactional-id is required"),
        ("producer-performance: error: one of the arguments --print-metrics --transactional-id bootstrap.servers=localhost:9092, --payload-file is required", "producer-performance:  error:  one  of  the  arguments  --print-metrics  --\ntransactional-id   bootstrap.servers=localhost:9092,    --payload-file   is\nrequired"),
        ("producer-performance: error: one of the arguments --print-metrics -1 --producer-props --producer-props --record-size, --payload-monotonic --throughput is required", "producer-performance: error: one  of  the  arguments  --print-metrics -1 --\nproducer-props  --producer-props   --record-size,   --payload-monotonic  --\nthroughput is required"),
        ("producer-performance: error: one of the arguments --throughput --x --help --payload-monotonic --x, --producer-props is required", "producer-performance: error: one of  the  arguments --throughput --x --help\n--payload-monotonic --x, --producer-props is required"),
        ("producer-performance: error: one of the arguments --payload-file --record-size, bootstrap.servers=localhost:9092 --transaction-duration-ms --topic, --producer-props, is required", "producer-performance: error: one of  the arguments --payload-file --record-\nsize, bootstrap.servers=localhost:9092  --transaction-duration-ms  --topic,\n--producer-props, is required"),
        ("producer-performance: error: one of the arguments --transaction-duration-ms --producer.config --payload-delimiter --payload-delimiter --payload-monotonic is required", "producer-performance: error: one  of  the arguments --transaction-duration-\nms  --producer.config  --payload-delimiter  --payload-delimiter  --payload-\nmonotonic is required"),
        ("producer-performance: error: argument --x --topic --producer-props acks=all is required", "producer-performance:  error:   argument   --x   --topic   --producer-props\nacks=all is required"),
        ("producer-performance: error: argument --payload-delimiter '--abc' --print-metrics -1 --record-size bootstrap.servers=localhost:9092, --producer-props, is required", "producer-performance: error: argument  --payload-delimiter '--abc' --print-\nmetrics  -1  --record-size   bootstrap.servers=localhost:9092,  --producer-\nprops, is required"),
        ("producer-performance: error: unrecognized arguments: '--throughput --throughput, --topic --payload-file, -1 is required", "producer-performance:  error:  unrecognized   arguments:  '--throughput  --\nthroughput, --topic --payload-file, -1 is required"),
        ("producer-performance: error: argument '--abc' --payload-file, --producer.config is required", "producer-performance: error: argument  '--abc'  --payload-file, --producer.\nconfig is required"),
        ("producer-performance: error: argument --producer-props, --transactional-id, --record-size, --topic, is required", "producer-performance: error:  argument  --producer-props,  --transactional-\nid, --record-size, --topic, is required"),
        ("producer-performance: error: argument --payload-file --topic is required", "producer-performance: error: argument --payload-file --topic is required"),
        ("producer-performance: error: unrecognized arguments: '--help bootstrap.servers=localhost:9092 is required", "producer-performance: error:  unrecognized  arguments:  '--help  bootstrap.\nservers=localhost:9092 is required"),
        ("producer-performance: error: ambiguous option: --payload-monotonic --payload-delimiter '--abc' --throughput is required", "producer-performance:  error:  ambiguous   option:  --payload-monotonic  --\npayload-delimiter '--abc' --throughput is required"),
        ("producer-performance: error: unrecognized arguments: '--num-records acks=all --record-size --record-size, --throughput is required", "producer-performance:   error:   unrecognized   arguments:   '--num-records\nacks=all --record-size --record-size, --throughput is required"),
        ("producer-performance: error: unrecognized arguments: '--num-records --record-size, --record-size --bootstrap-server is required", "producer-performance:  error:  unrecognized  arguments:  '--num-records  --\nrecord-size, --record-size --bootstrap-server is required"),
        ("producer-performance: error: ambiguous option: --bootstrap-server --payload-delimiter '--abc' bootstrap.servers=localhost:9092 is required", "producer-performance:  error:  ambiguous   option:   --bootstrap-server  --\npayload-delimiter '--abc' bootstrap.servers=localhost:9092 is required"),
        ("producer-performance: error: argument --transaction-duration-ms --producer-props --transactional-id acks=all, --print-metrics --payload-file, is required", "producer-performance: error: argument --transaction-duration-ms --producer-\nprops  --transactional-id  acks=all,   --print-metrics  --payload-file,  is\nrequired"),
        ("producer-performance: error: one of the arguments -1, --transaction-duration-ms -1, --print-metrics is required", "producer-performance:  error:  one  of  the  arguments  -1,  --transaction-\nduration-ms -1, --print-metrics is required"),
        ("producer-performance: error: argument --record-size, bootstrap.servers=localhost:9092, --record-size --record-size, --bootstrap-server is required", "producer-performance:    error:    argument    --record-size,    bootstrap.\nservers=localhost:9092, --record-size --record-size,  --bootstrap-server is\nrequired"),
        ("producer-performance: error: unrecognized arguments: '--x --topic --producer.config '--abc', --transactional-id, --payload-monotonic, --payload-file is required", "producer-performance:  error:  unrecognized  arguments:   '--x  --topic  --\nproducer.config  '--abc',   --transactional-id,   --payload-monotonic,   --\npayload-file is required"),
        ("producer-performance: error: unrecognized arguments: '--record-size -1, --transactional-id is required", "producer-performance: error: unrecognized arguments:  '--record-size -1, --\ntransactional-id is required"),
        ("producer-performance: error: one of the arguments --topic, --payload-monotonic, --producer.config '--abc' --payload-file is required", "producer-performance: error:  one  of  the  arguments  --topic,  --payload-\nmonotonic, --producer.config '--abc' --payload-file is required"),
        ("producer-performance: error: argument --num-records, --help --topic acks=all is required", "producer-performance:  error:   argument   --num-records,   --help  --topic\nacks=all is required"),
        ("producer-performance: error: unrecognized arguments: '--payload-file --payload-delimiter is required", "producer-performance: error:  unrecognized  arguments:  '--payload-file  --\npayload-delimiter is required"),
        ("producer-performance: error: one of the arguments --transactional-id, -1 '--abc' acks=all is required", "producer-performance: error: one  of  the  arguments --transactional-id, -1\n'--abc' acks=all is required"),
        ("producer-performance: error: one of the arguments --transactional-id, '--abc' --print-metrics is required", "producer-performance: error: one of  the  arguments --transactional-id, '--\nabc' --print-metrics is required"),
        ("producer-performance: error: argument --producer-props, --topic, acks=all '--abc' --print-metrics --bootstrap-server --throughput is required", "producer-performance: error: argument  --producer-props,  --topic, acks=all\n'--abc' --print-metrics --bootstrap-server --throughput is required"),
        ("producer-performance: error: unrecognized arguments: '--transactional-id, --payload-file --transactional-id is required", "producer-performance: error:  unrecognized  arguments: '--transactional-id,\n--payload-file --transactional-id is required"),
        ("producer-performance: error: one of the arguments --print-metrics --bootstrap-server --num-records, --topic, is required", "producer-performance:  error:  one  of  the  arguments  --print-metrics  --\nbootstrap-server --num-records, --topic, is required"),
        ("producer-performance: error: ambiguous option: --throughput --producer-props --transaction-duration-ms --help, --payload-file is required", "producer-performance: error:  ambiguous  option:  --throughput  --producer-\nprops --transaction-duration-ms --help, --payload-file is required"),
        ("producer-performance: error: one of the arguments --producer-props, --topic --producer.config is required", "producer-performance: error:  one  of  the  arguments  --producer-props, --\ntopic --producer.config is required"),
        ("producer-performance: error: argument --record-size --payload-delimiter --topic --transaction-duration-ms is required", "producer-performance: error: argument  --record-size --payload-delimiter --\ntopic --transaction-duration-ms is required"),
        ("producer-performance: error: argument --payload-file -1, bootstrap.servers=localhost:9092, --transaction-duration-ms, '--abc' bootstrap.servers=localhost:9092 --transaction-duration-ms is required", "producer-performance:  error:   argument   --payload-file   -1,  bootstrap.\nservers=localhost:9092,   --transaction-duration-ms,   '--abc'   bootstrap.\nservers=localhost:9092 --transaction-duration-ms is required"),
        ]
        for (message, expected) in vectors {
            #expect(KafkaOptionParser.argparseWrap(message).joined(separator: "\n") == expected, "\(message)")
        }
    }

    @Test func didYouMeanCandidates() {
        #expect(KafkaOptionParser.flagCandidates("print-metricz", PerfTestTools.producerPerfFlags) == ["", "Did you mean:", "\t--print-metrics"])
        #expect(KafkaOptionParser.flagCandidates("zzzzzzzzzzzzzzzz", PerfTestTools.producerPerfFlags) == [])
    }
}
