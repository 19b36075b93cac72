package status

import (
	"bufio"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/ddns-go/ddns/watch"
)

// durationBuckets bound ddns_publish_duration_seconds: provider APIs answer
// in tens of milliseconds to a few seconds; the client times out at 30 s.
var durationBuckets = []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

type histogram struct {
	bounds []float64
	counts []uint64 // per bucket, not cumulative
	count  uint64
	sum    float64
}

func newHistogram(bounds []float64) histogram {
	return histogram{bounds: bounds, counts: make([]uint64, len(bounds))}
}

func (h *histogram) observe(v float64) {
	h.count++
	h.sum += v
	for i, b := range h.bounds {
		if v <= b {
			h.counts[i]++
			return
		}
	}
}

// WriteMetrics writes every metric in the Prometheus text exposition
// format, version 0.0.4.
func (t *Tracker) WriteMetrics(w io.Writer) error {
	now := t.now()
	bw := bufio.NewWriter(w)
	m := metricWriter{w: bw}

	t.mu.Lock()
	m.family("ddns_build_info", "gauge", "The agent's version; always 1.")
	m.sample("ddns_build_info", labels("version", t.version), "1")

	m.family("ddns_publish_total", "counter", "Record updates sent to providers, by provider and result (ok, error).")
	for _, k := range sortedKeys2(t.publish) {
		m.sample("ddns_publish_total", labels("provider", k[0], "result", k[1]), u(t.publish[k]))
	}

	m.family("ddns_publish_duration_seconds", "histogram", "How long providers took to answer an update.")
	var cum uint64
	for i, b := range t.duration.bounds {
		cum += t.duration.counts[i]
		m.sample("ddns_publish_duration_seconds_bucket", labels("le", strconv.FormatFloat(b, 'g', -1, 64)), u(cum))
	}
	m.sample("ddns_publish_duration_seconds_bucket", labels("le", "+Inf"), u(t.duration.count))
	m.sample("ddns_publish_duration_seconds_sum", "", strconv.FormatFloat(t.duration.sum, 'g', -1, 64))
	m.sample("ddns_publish_duration_seconds_count", "", u(t.duration.count))

	recs := make([]*Record, 0, len(t.records))
	for _, r := range t.records {
		recs = append(recs, r)
	}
	sort.Slice(recs, func(i, j int) bool {
		if recs[i].Domain != recs[j].Domain {
			return recs[i].Domain < recs[j].Domain
		}
		return recs[i].Type < recs[j].Type
	})
	m.family("ddns_record_current", "gauge", "1 when the record holds the address its rules give, else 0.")
	seen := map[[2]string]bool{} // one series per domain and type, even if two configurations name it
	for _, r := range recs {
		k := [2]string{r.Domain, r.Type}
		if seen[k] {
			continue
		}
		seen[k] = true
		v := "0"
		if r.FailingSince == nil && (r.Result == string(watch.RecordCurrent) || r.Result == string(watch.RecordPublished)) {
			v = "1"
		}
		m.sample("ddns_record_current", labels("domain", r.Domain, "type", r.Type), v)
	}
	m.family("ddns_last_success_timestamp_seconds", "gauge", "When the record was last known current (Unix time).")
	clear(seen)
	for _, r := range recs {
		k := [2]string{r.Domain, r.Type}
		if seen[k] || r.LastSuccess == nil {
			continue
		}
		seen[k] = true
		m.sample("ddns_last_success_timestamp_seconds", labels("domain", r.Domain, "type", r.Type), strconv.FormatInt(r.LastSuccess.Unix(), 10))
	}

	m.family("ddns_events_total", "counter", "Platform network events received, by kind.")
	for _, k := range sortedKeys(t.events) {
		m.sample("ddns_events_total", labels("kind", k), u(t.events[k]))
	}
	m.family("ddns_sync_total", "counter", "Sync rounds, by reason.")
	for _, k := range sortedKeys(t.syncs) {
		m.sample("ddns_sync_total", labels("reason", k), u(t.syncs[k]))
	}
	healthy := "1"
	for _, r := range t.records {
		if !t.healthy(r, now) {
			healthy = "0"
		}
	}
	t.mu.Unlock()
	m.family("ddns_healthy", "gauge", "1 when /healthz answers 200.")
	m.sample("ddns_healthy", "", healthy)
	return bw.Flush()
}

type metricWriter struct{ w *bufio.Writer }

func (m metricWriter) family(name, typ, help string) {
	m.w.WriteString("# HELP " + name + " " + help + "\n# TYPE " + name + " " + typ + "\n")
}

func (m metricWriter) sample(name, labels, value string) {
	m.w.WriteString(name + labels + " " + value + "\n")
}

// labels renders name/value pairs as {a="x",b="y"}, escaping values as the
// text format requires.
func labels(kv ...string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(kv[i] + `="`)
		labelEscaper.WriteString(&b, kv[i+1])
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

func u(n uint64) string { return strconv.FormatUint(n, 10) }

func sortedKeys(m map[string]uint64) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func sortedKeys2(m map[[2]string]uint64) [][2]string {
	ks := make([][2]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool {
		if ks[i][0] != ks[j][0] {
			return ks[i][0] < ks[j][0]
		}
		return ks[i][1] < ks[j][1]
	})
	return ks
}
