import ArgumentParser

KafkaLab.main()
