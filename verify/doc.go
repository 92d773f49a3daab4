// Package verify proves, partition by partition, that a mirror topic holds
// exactly its source topic's records: the proof of exactness behind the
// emulator admin route POST /emulator/v1/clusters/{cluster}/links/{link}/mirrors/{topic}:verify
// and the console's "Verify" button.
//
// # Model
//
// Mirror first takes a snapshot of both topics' log start and end offsets,
// the mirror's before the source's, so that a mirror that is still
// replicating can only look behind its source, never ahead of it. For each
// partition it then streams both logs over the range
// [max(source log start, mirror log start), mirror end) with raw Fetch
// requests at read_uncommitted (franz-go's own record decoding, control
// records kept), one partition per goroutine and one fetch response at a
// time, and walks the two streams in offset order. Two records at the same
// offset are equal when their key, value, headers, timestamp, timestamp
// type and transactional bit are equal; two control records (transaction
// markers) are equal when their marker type is. The raw log is compared,
// aborted transactional data and the markers' own offsets included,
// because replication copies offsets byte for byte.
//
// A partition's result is EQUAL (every offset of the range matches and
// both end offsets are equal), MIRROR_BEHIND (every offset the mirror holds
// matches, but at the snapshot the source had more: replication lag, or
// data lost by a failover) or DIFFERENT, with the first difference: its
// offset, what differs and both sides' values. Comparison of a partition
// stops at its first difference.
//
// # What it does not check (reported in every answer)
//
//   - records below the range start: below the mirror's log start offset
//     (mirror.start.offset.spec latest, or a truncated mirror) or below the
//     source's (records the source's retention deleted);
//   - records written after the snapshot of end offsets;
//   - producer IDs, epochs and sequence numbers, which replication rewrites
//     by design; a mirror's control record where the source has no record
//     at all (an invisible filler of a compaction hole) is allowed;
//   - timestamps of records whose timestamp type is LogAppendTime on both
//     sides: each broker stamps those itself.
//
// # Caveats
//
// Verification reads both logs in full from the range start: its cost is
// linear in the records compared (docs/benchmarks.md has the figure). It
// reads with clients of its own and holds no lock of the emulator, so it
// can run while replication goes on; a partition whose leader moves
// mid-read fails the whole verification with the broker's error rather than
// answering half a proof.
package verify
