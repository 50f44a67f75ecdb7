package main

import (
	"context"
	"io"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// BenchmarkWorkers measures throughput with 1, 2 and 4 worker processes (4
// tenants at a time each) on 40 tenants whose fakes answer every request
// after 40 ms, the order of a fast SaaS API. Each iteration starts fresh
// fakes and a fresh schema and runs until every tenant converged (its first
// pass syncs 8 companies, 32 contacts and 4 opportunities; the next finds
// nothing to write). Run it with a database:
//
//	.ci/postgres go test -run '^$' -bench Workers -benchtime 1x ./examples/multiworker/
func BenchmarkWorkers(b *testing.B) {
	for _, n := range []int{1, 2, 4} {
		b.Run("workers="+strconv.Itoa(n), func(b *testing.B) {
			var passes, records, writes int
			var elapsed time.Duration
			for b.Loop() {
				o := testOptions(b, "-tenants", "40", "-workers", strconv.Itoa(n), "-max-tenants", "4", "-companies", "8",
					"-latency", "40ms", "-lease-ttl", "10s", "-poll", "1s", "-timeout", "3m", "-quiet")
				res, err := runParent(context.Background(), o, self(b), io.Discard)
				require.NoError(b, err)
				require.NoError(b, res.check())
				p, r := res.passCount()
				passes += p
				records += r
				for _, l := range res.passes {
					writes += l.Writes
				}
				elapsed += res.elapsed
			}
			secs := elapsed.Seconds()
			b.ReportMetric(float64(passes)/secs, "passes/s")
			b.ReportMetric(float64(records)/secs, "records/s")
			b.ReportMetric(float64(writes)/secs, "writes/s")
			b.ReportMetric(secs/float64(b.N), "s/run")
		})
	}
}
