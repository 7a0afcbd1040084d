/// A transactional producer's own state machine (the Java client's `TransactionManager`): which calls are allowed
/// when, with the exceptions and texts the Java client throws. It only decides; the producer sends the requests.
public struct TransactionManager: Sendable, Equatable {
    /// `TransactionManager.State`.
    public enum State: String, Sendable, Equatable {
        case uninitialized = "UNINITIALIZED"
        case initializing = "INITIALIZING"
        case ready = "READY"
        case inTransaction = "IN_TRANSACTION"
        case committingTransaction = "COMMITTING_TRANSACTION"
        case abortingTransaction = "ABORTING_TRANSACTION"
        case abortableError = "ABORTABLE_ERROR"
        case fatalError = "FATAL_ERROR"

        /// `isTransitionValid(source, target)` with `self` as the target.
        func isValidTarget(from source: State) -> Bool {
            switch self {
            case .uninitialized: return source == .ready || source == .abortableError
            case .initializing: return [.uninitialized, .committingTransaction, .abortingTransaction].contains(source)
            case .ready: return [.initializing, .committingTransaction, .abortingTransaction].contains(source)
            case .inTransaction: return source == .ready
            case .committingTransaction: return source == .inTransaction
            case .abortingTransaction: return source == .inTransaction || source == .abortableError
            case .abortableError: return [.inTransaction, .committingTransaction, .abortableError, .initializing].contains(source)
            case .fatalError: return true
            }
        }
    }

    /// A Java client exception: its class and message (`toString` is `class: message`).
    public struct ClientException: Error, Sendable, Equatable, CustomStringConvertible {
        public let exceptionClass: String
        public let message: String
        public var description: String { "\(exceptionClass): \(message)" }

        public static func illegalState(_ message: String) -> ClientException { ClientException(exceptionClass: "java.lang.IllegalStateException", message: message) }
        /// `InvalidProducerEpochException`: a send of an older epoch than the partition (or coordinator) knows.
        public static let invalidProducerEpochClass = "org.apache.kafka.common.errors.InvalidProducerEpochException"
        /// `ProducerFencedException` with the broker's default text.
        public static let producerFenced = ClientException(exceptionClass: "org.apache.kafka.common.errors.ProducerFencedException",
                                                           message: TransactionCoordinatorError.producerFenced.message)
    }

    public let transactionalId: String
    public private(set) var state: State = .uninitialized
    public private(set) var producerId: Int64 = TransactionMetadata.noProducerId
    public private(set) var producerEpoch: Int16 = TransactionMetadata.noProducerEpoch
    /// The error that put the producer in ABORTABLE_ERROR or FATAL_ERROR.
    public private(set) var lastError: ClientException?
    /// Partitions written in the current transaction, in the order they joined.
    public private(set) var partitionsInTransaction: [TopicPartition] = []
    /// Whether anything was sent or offsets added: an empty transaction ends without EndTxn.
    public private(set) var transactionStarted = false

    public init(transactionalId: String) { self.transactionalId = transactionalId }

    /// `ProducerIdAndEpoch.toString`.
    var producerIdAndEpoch: String { "(producerId=\(producerId), epoch=\(producerEpoch))" }

    private mutating func transition(to target: State) throws(ClientException) {
        guard target.isValidTarget(from: state) else {
            throw .illegalState("TransactionalId \(transactionalId): Invalid transition attempted from state \(state.rawValue) to state \(target.rawValue)")
        }
        if target != .fatalError && target != .abortableError { lastError = nil }
        state = target
    }

    /// `maybeFailWithError`: a producer in an error state refuses transactional calls.
    private func failIfInError() throws(ClientException) {
        guard state == .abortableError || state == .fatalError, let error = lastError else { return }
        if error.exceptionClass == ClientException.producerFenced.exceptionClass {
            throw ClientException(exceptionClass: error.exceptionClass,
                                  message: "Producer with transactionalId '\(transactionalId)' and \(producerIdAndEpoch) has been fenced by another producer with the same transactionalId")
        }
        if error.exceptionClass == ClientException.invalidProducerEpochClass {
            throw ClientException(exceptionClass: error.exceptionClass,
                                  message: "Producer with transactionalId '\(transactionalId)' and \(producerIdAndEpoch) attempted to produce with an old epoch")
        }
        throw ClientException(exceptionClass: "org.apache.kafka.common.KafkaException",
                              message: "Cannot execute transactional method because we are in an error state")
    }

    /// `initTransactions()`: the InitProducerId request goes out.
    public mutating func initTransactions() throws(ClientException) {
        // `initializeTransactions` calls `maybeFailWithError()` first.
        try failIfInError()
        try transition(to: .initializing)
    }

    /// The InitProducerId answer arrived.
    public mutating func initialized(producerId: Int64, epoch: Int16) throws(ClientException) {
        self.producerId = producerId
        self.producerEpoch = epoch
        try transition(to: .ready)
    }

    /// `beginTransaction()`: client-local, no request.
    public mutating func beginTransaction() throws(ClientException) {
        try failIfInError()
        try transition(to: .inTransaction)
    }

    /// `send()` to a partition inside the transaction (`maybeAddPartition`).
    public mutating func maybeAddPartition(_ tp: TopicPartition) throws(ClientException) {
        try failIfInError()
        guard producerId != TransactionMetadata.noProducerId else {
            throw .illegalState("Cannot add partition \(tp) to transaction before completing a call to initTransactions")
        }
        guard state == .inTransaction else {
            // The Java text has two spaces before the state.
            throw .illegalState("Cannot add partition \(tp) to transaction while in state  \(state.rawValue)")
        }
        if !partitionsInTransaction.contains(tp) { partitionsInTransaction.append(tp) }
        transactionStarted = true
    }

    /// `sendOffsetsToTransaction()`: under transaction version 2, TxnOffsetCommit goes straight to the group coordinator.
    public mutating func sendOffsetsToTransaction() throws(ClientException) {
        try failIfInError()
        guard state == .inTransaction else {
            throw .illegalState("Cannot send offsets if a transaction is not in progress (currentState= \(state.rawValue))")
        }
        transactionStarted = true
    }

    /// `commitTransaction()`. Returns whether an EndTxn is sent (none for a transaction that wrote nothing).
    public mutating func beginCommit() throws(ClientException) -> Bool {
        try failIfInError()
        try transition(to: .committingTransaction)
        return transactionStarted
    }

    /// `abortTransaction()`, allowed from ABORTABLE_ERROR too. Returns whether an EndTxn is sent.
    public mutating func beginAbort() throws(ClientException) -> Bool {
        if state != .abortableError { try failIfInError() }
        try transition(to: .abortingTransaction)
        return transactionStarted
    }

    /// The EndTxn answer arrived: the epoch the coordinator bumped to (transaction version 2) is adopted.
    public mutating func completed(producerId: Int64, epoch: Int16) throws(ClientException) {
        self.producerId = producerId
        self.producerEpoch = epoch
        partitionsInTransaction = []
        transactionStarted = false
        try transition(to: .ready)
    }

    /// A fatal error (PRODUCER_FENCED, INVALID_PRODUCER_ID_MAPPING…): only `close()` is left.
    public mutating func fatalError(_ error: ClientException) {
        lastError = error
        state = .fatalError
    }

    /// An abortable error (INVALID_PRODUCER_EPOCH on a send…): the application must abort the transaction.
    public mutating func abortableError(_ error: ClientException) {
        guard State.abortableError.isValidTarget(from: state) else { return fatalError(error) }
        lastError = error
        state = .abortableError
    }
}
