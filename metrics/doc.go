// Package metrics exposes linkemu's state to Prometheus.
//
// The model: the control plane owns the figures, this package only reads
// them. A Source answers Snapshot with the state of every link, mirror
// topic and link task at one moment; a Collector calls it once per scrape
// and turns it into metric families, so a scrape never sees half of one
// change and metrics of deleted links vanish with them. REST traffic is the
// one thing measured here, by HTTP, whose Observe method matches
// server.Config.Observe.
//
// Everything registers on a registry the caller passes in (Register), never
// on Prometheus' global one, so two emulators in one process keep separate
// figures. Handler serves a registry in the Prometheus text format.
//
// Caveats: states are exported the kube-state-metrics way, one series per
// possible state with value 1 for the current one and 0 for the others, so
// a state change is a value change and never a vanished series. Counters of
// replicated records and bytes are the Source's totals since the emulator
// started; they restart at zero with the emulator or with the mirror, which
// Prometheus' rate() treats as a counter reset. The package knows nothing
// of how the figures are made: a Source that cannot tell a figure yet
// leaves it zero or, for partitions, omits them.
package metrics
