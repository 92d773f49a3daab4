// Package replication copies the mirror topics of a cluster link from the
// source cluster to the destination cluster so that every mirror record has
// the same offset, key, value, headers and timestamp as its source record,
// using only the Kafka protocol: it works the same against franz-go's kfake
// and against Apache Kafka.
//
// # Model
//
// One Worker runs per link. The manager owns mirror state (ACTIVE, PAUSED,
// STOPPED...) and tells the worker what to copy with SetMirrors; the worker
// reports runtime status (lags, errors, source availability) and never
// changes the manager's state itself.
//
// Inside a worker, one fetcher per source broker long-polls raw Fetch
// requests (read_uncommitted, no fetch session) for every copying partition
// that broker leads, and queues each partition's record batches. One
// goroutine per mirror partition writes them, one operation at a time:
// batches are forwarded as they are, without decompressing, after
// rewriting only what must change (FirstOffset 0, producer ID, epoch and
// sequence, and so the CRC) in raw Produce requests (acks=-1, one batch per
// request) sent to the destination leader. Every Produce request carries a
// transactional ID starting with linkemu.LinkWriterPrefix, which the
// embedded brokers' read-only guard lets write to mirror topics.
//
// A control loop refreshes metadata every Config.MetadataInterval (leaders,
// partition growth, deleted or recreated source topics), syncs topic
// configs every Config.ConfigSyncInterval (see SyncedConfigs), and keeps
// paused mirrors' lags current (every Config.FetchMaxWait).
//
// Locks. The worker's, mirrors' and partitions' mutexes guard figures only
// and are never held across network I/O or a StateStore call, so Status,
// TranslateOffset and SourceStatus answer at once whatever the worker is
// waiting for (a StateStore may wait for its readers; they may be the
// manager serving a Status). Saves of a mirror's document are ordered by a
// lock of their own that no status reader takes.
//
// Shared lookups. At a restart every partition reads its destination log
// offsets and filler transactions at once; lookups made while one request
// is in flight are merged into the next request (batcher.go), so 10,000
// partitions resume with a few requests instead of 30,000 answered one
// after another. A lookup is only ever answered by a request sent after it
// was made, so it still reads every write that finished before it.
//
// # Guarantees
//
// Offsets. The resume point after any stop, crash or error is the mirror
// partition's log end offset, read from the destination, never a counter
// kept elsewhere. Each write checks that its batch landed at the expected
// offset; a write with an unknown outcome (timeout, lost connection) is
// never retried blindly: the partition re-reads the log end offset and
// resumes from it. Non-transactional batches go through an idempotent
// producer, so a write that lands late is recognized as a duplicate rather
// than shifting later offsets. If the destination is not what the worker
// expects (a batch lands elsewhere, the source lost records the mirror
// holds), the mirror stops with a MirrorTopicError (ILLEGAL_STATE,
// UNEXPECTED_TRUNCATION...) rather than diverge silently.
//
// What is exact (same offset, key, value, headers, timestamp and
// timestamp type, for read_uncommitted and read_committed consumers; the
// internal/kafkatest checker verifies it):
//
//   - plain, keyed, header-carrying and compressed data: batches are copied
//     byte for byte apart from the producer fields;
//   - transactional sources, interleaved producers included: each source
//     producer's transactional batches are replayed in a destination
//     transaction of its own (one transactional producer per source
//     producer ID and partition, named after the link, mirror, topic ID,
//     partition and source producer ID), and each source commit or abort
//     marker becomes an EndTxn, which writes the marker at the same
//     offset. An open source transaction is replicated open, so the
//     mirror's last stable offset holds where the source's does. After a
//     restart the worker takes over the open destination transaction
//     (epoch from DescribeTransactions, sequence from DescribeProducers)
//     and ends it with the source's marker, never aborting it with a new
//     InitProducerID. This holds across a crash of the destination broker
//     too: Apache Kafka keeps the transaction in its coordinator's log, and
//     linkemu's kfake restores it as ongoing when it replays its log (see
//     third_party/kfake/README.md); cmd/emulator's SIGKILL test checks
//     both isolation levels;
//   - offset holes (compaction, markers of empty transactions, records the
//     source deleted before they were copied): each missing offset is
//     filled with an empty aborted transaction, whose abort marker takes
//     exactly one offset and is invisible to consumers. Batches with holes
//     inside (compacted batches) are re-encoded, uncompressed, into runs of
//     consecutive records; records keep their bytes;
//   - mirror.start.offset.spec (earliest, latest, a timestamp) and a source
//     log start offset above 0. Latest and timestamps are resolved when the
//     mirror is created (Mirror.StartOffsets, from ResolveStartOffsets), so
//     records produced after the creation answered are mirrored; earliest
//     is the source's log start offset when the worker first sees the
//     mirror. Before the first record the mirror gets
//     filler records (no key, no value, no timestamp; zstd packs them into
//     about 0.83 bytes each, 100,000 per batch) up to the start offset, then
//     DeleteRecords moves the mirror's log start offset there. Aligning 1M
//     offsets takes about 0.1 s on kfake. A start offset inside a batch is
//     handled by re-encoding that batch from the start offset on.
//
// What uses the offset map: a run of missing offsets longer than
// Config.MaxFillGap (default 10,000; markers cost two round trips each,
// about 15,000 per second on kfake) is skipped instead of filled, and from
// there on mirror offsets are lower than source offsets. Each skip is a
// breakpoint of the partition's OffsetMap, persisted in the StateStore
// before any record after it is written; TranslateOffset applies it. One
// exception keeps offsets equal: when the source deleted more than
// MaxFillGap records the mirror had not copied yet, the mirror, like a
// follower whose leader's log start moved past it, drops its log (filler
// records and DeleteRecords) and restarts at the source's log start offset.
//
// Storage faults. A destination that cannot store a write (full disk)
// answers KAFKA_STORAGE_ERROR; like any failed write, the partition re-reads
// the destination's log end offset and retries with backoff, so a write
// that did not land is written again at the same offset and nothing lands
// elsewhere. Meanwhile the partition's error says why and its lag does not
// fall: replication moves only when a write is acknowledged at the
// expected offset. (kfake before linkemu's fix acknowledged the retry of a
// batch it had failed to store as a duplicate.)
//
// # Lifecycle
//
// Pause (Mirror.Paused) stops fetching and drops fetched data; the lag
// keeps growing. StopMirror (failover, promote) stops at once, aborts the
// destination transactions that source transactions still open left, and
// returns each partition's log end offset. CatchUp (promote) copies until
// every partition reaches the source high watermark as of the call, and
// fails at once if the source cannot be reached. RemoveMirror also deletes
// the stored state. An unreachable source is reported (SourceStatus,
// MirrorStatus.SourceUnavailable) and retried with capped exponential
// backoff; the worker recovers by itself. A deleted source topic gives
// SOURCE_TOPIC_MAY_BE_DELETED (after two metadata refreshes without it), a
// recreated one SOURCE_TOPIC_ID_CHANGED, fewer source partitions
// SOURCE_PARTITIONS_DECREASED; the mirror then stops copying. Partitions
// added to the source are added to the mirror (CreatePartitions) and
// copied from their first offset, up to Config.MaxPartitions: a source that
// grows past it stops its mirror with ILLEGAL_STATE and a
// *PartitionLimitError (logged once) rather than leave the new partitions
// uncopied behind a healthy-looking mirror. A restart with a higher limit
// grows the mirror and copies again.
//
// # Caveats
//
//   - LogAppendTime sources: offsets, keys, values and headers are exact,
//     but the destination broker stamps its own append time on every
//     batch (message.timestamp.type is synced), so timestamps differ.
//     kfake (v0.0.0-20260918054303) applies LogAppendTime per batch only,
//     and stores such batches with their old CRC after rewriting their
//     timestamps, so consumers reject them: a LogAppendTime source mirrored
//     to an embedded destination gives unreadable mirror batches.
//   - Transaction markers, fill markers and filler records carry the
//     destination's timestamps and producer IDs; consumers never see them,
//     but ListOffsets by timestamp can land on a marker's offset.
//   - Destination transactions time out (Config.TransactionTimeout, 15
//     minutes by default, lowered to what the broker allows). A source
//     transaction open longer than that on a paused or stalled mirror is
//     aborted by the destination broker; the next write then detects the
//     extra marker and the mirror fails with ILLEGAL_STATE.
//   - Crash windows: state is persisted before the writes that depend on it
//     (start offsets before alignment, breakpoints before the records after
//     a skip), and everything else is read back from the destination, so a
//     crash at any point resumes correctly. A write still in flight in a
//     crashed process can land after a new worker read the log end offset
//     (Kafka may process a request whose connection died); the new
//     worker's next write then fails with ILLEGAL_STATE instead of
//     duplicating.
//   - kfake keeps the log start offset set by DeleteRecords only in the
//     snapshot it writes on a clean shutdown. After a crash it falls back
//     to the first batch left on disk, so filler records below a start
//     offset can reappear; the worker moves the log start offset back at
//     its next start (it checks it against the stored start offset).
//   - With brokers older than Fetch v13 (topic IDs), a source topic
//     recreated between two metadata refreshes can be fetched by name
//     before the worker notices the new topic ID.
//   - The destination must answer DescribeTransactions, DescribeProducers
//     and ListTransactions (Apache Kafka 3.0 and later, kfake).
//   - Records in message format v0/v1 are not copied: the mirror fails with
//     UNSUPPORTED_MESSAGE_FORMAT; start it past them.
//   - Heavily compacted sources cost one marker per removed record to stay
//     exact; lower MaxFillGap to trade exactness for speed.
//   - SetMirrors must not list a mirror after StopMirror or RemoveMirror
//     returned for it: that would start copying it again.
package replication
