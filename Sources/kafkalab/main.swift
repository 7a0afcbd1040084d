KafkaLab.main()
