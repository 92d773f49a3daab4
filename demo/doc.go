// Package demo runs demo traffic for the DR lab console and the admin API
// (/emulator/v1/demo/traffic): a producer writing N records per second to
// a topic of a served cluster, and a consumer group reading that topic, so
// that mirror lag, consumer offset sync and failover can be shown without
// any other tool.
//
// # Model
//
// A Runner owns every run. Start checks a Spec, creates the topic if it is
// missing (with Spec.Partitions partitions), and starts one worker: a
// goroutine that produces every 100 ms the records due at the run's rate,
// and, unless Spec.NoConsumer, a group consumer of its own. A run ends when
// Stop is called (STOPPED), when it has produced MaxRecords or run for
// Duration (FINISHED), or at its first failed write (FAILED, with the
// broker's error: a run aimed at a read-only mirror topic fails this way at
// once; retriable errors, such as those of an outage drill of the run's
// cluster, are retried for two minutes first, so a run outlives a short
// outage).
// Runner.Close stops every run and waits for it. Ended runs stay listed,
// the last 20 of them.
//
// # Demo data is marked
//
// Every record carries the header linkemu-demo=true and linkemu-demo-run=<run
// ID>, a key "linkemu-demo-<run>-<seq>" and a JSON value
// {"linkemu_demo":true,"run":…,"seq":…,"produced_at":…}.
//
// # Bounds
//
// At most MaxRate records per second, MaxRecords records and MaxDuration
// per run, and MaxRuns runs at a time; one running run per cluster and
// topic. Defaults: 10 records/s, 10 minutes, 100 000 records.
//
// # Caveats
//
// Rates are approximate (100 ms ticks; a slow broker slows the producer
// rather than building a backlog: at most one tick's records are in
// flight). The consumer commits with franz-go's autocommit and once more
// when its run ends; it does not process records beyond counting them.
// Counts are what the clients saw, not what a broker stored.
package demo
