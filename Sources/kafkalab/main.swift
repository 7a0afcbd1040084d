import LineEditing

// Each command's answer leaves at once even on a pipe, so a program driving kafkalab as a
// co-process reads it before sending the next line.
Terminal.lineBufferStandardOutput()
KafkaLab.main()
