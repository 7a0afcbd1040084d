import NIOCore

extension WireServer {
    /// Closes the listener and the connections of every broker that no longer runs, and listens again, on the
    /// same port, for every broker that runs again: clients see what a real broker's stop and start look like
    /// (connections cut, the port refusing, then back), and find the new leaders through the other brokers.
    /// Runs on the server's thread after every shell command.
    func followBrokers() {
        eventLoop.preconditionInEventLoop()
        let alive = requestChannel.brokersAlive
        let (stopped, started, host) = state.withLockedValue { state in
            guard !state.stopped else { return ([Channel](), [(broker: Int, port: Int)](), "") }
            var stopped: [Channel] = []
            var started: [(broker: Int, port: Int)] = []
            for listener in state.advertised {
                let listening = state.listeners[listener.broker] != nil || state.reopening.contains(listener.broker)
                if alive[listener.broker] == false, let channel = state.listeners.removeValue(forKey: listener.broker) {
                    stopped.append(channel)
                } else if alive[listener.broker] == true, !listening {
                    state.reopening.insert(listener.broker)
                    started.append((listener.broker, listener.port))
                }
            }
            return (stopped, started, state.bindHost)
        }
        for channel in stopped { channel.close(promise: nil) }
        let stoppedBrokers = Set(alive.filter { !$0.value }.keys)
        for connection in requestChannel.openConnections where stoppedBrokers.contains(connection.broker) {
            connection.shutDown()
        }
        for (broker, port) in started { reopen(broker: broker, host: host, port: port) }
    }

    private func reopen(broker: Int, host: String, port: Int) {
        let requestChannel = self.requestChannel
        bootstrap(broker: broker).bind(host: host, port: port).whenComplete { result in
            let keep: Bool = self.state.withLockedValue { state in
                state.reopening.remove(broker)
                guard case .success(let channel) = result, !state.stopped else { return false }
                state.listeners[broker] = channel
                return true
            }
            switch result {
            case .success(let channel) where keep:
                try? channel.syncOptions?.setOption(.autoRead, value: true)
            case .success(let channel):
                channel.close(promise: nil)
            case .failure(let error):
                requestChannel.notice("  ▸ Broker \(broker) runs again but cannot listen on \(WireServer.address(host: host, port: port)) again: \(error)")
                requestChannel.settle()
            }
        }
    }
}
