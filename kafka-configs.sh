#  TIME                      EVENT              DETAILS
0  2024-01-01T00:00:00.000Z  BrokerRegistered   broker 0 joined the cluster
1  2024-01-01T00:00:00.000Z  BrokerRegistered   broker 1 joined the cluster
2  2024-01-01T00:00:00.000Z  BrokerRegistered   broker 2 joined the cluster
3  2024-01-01T00:00:00.000Z  ControllerElected  broker 0 is the active controller
4  2024-01-01T00:00:05.000Z  ClockAdvanced      00:00:00.000 → 00:00:05.000 (+5s)
