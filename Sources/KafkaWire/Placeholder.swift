// Replaced by the generated codec.
enum KafkaWirePlaceholder {}
