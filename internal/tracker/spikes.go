package tracker

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"time"

	"byline/internal/news"
)

// Baseline is how many buckets before a bucket it is compared with.
const Baseline = 8

// SpikeZ is the z-score from which a bucket is a spike.
const SpikeZ = 3.0

// Spike is a bucket well above its trailing baseline.
type Spike struct {
	Bucket int
	Value  float64
	Mean   float64
	Z      float64 // +Inf for New
	// New: the baseline is all zero.
	New bool
}

// SpikeAt tells whether counts[i] is a spike against the Baseline
// buckets before it: z ≥ SpikeZ, or anything after a zero baseline
// ("new").
//
// Counts of independent events (articles, occurrences) vary with their
// size: a plain z-score over 8 buckets of small counts calls ordinary
// noise a spike every few dozen buckets. So z is taken on
// variance-stabilised counts (Anscombe: 2·√(x+3/8), whose standard
// deviation is about 1 whatever the rate), with the baseline's standard
// deviation at least 1 and widened by √(1+1/8) for the uncertainty of a
// mean of 8. A flat series of Poisson noise then stays quiet (tested),
// while a jump to three times the usual rate stands out.
func SpikeAt(counts []float64, i int) (Spike, bool) {
	if i < Baseline || i >= len(counts) {
		return Spike{}, false
	}
	base := counts[i-Baseline : i]
	var sum, tsum float64
	for _, v := range base {
		sum += v
		tsum += anscombe(v)
	}
	mean, tmean := sum/Baseline, tsum/Baseline
	x := counts[i]
	sp := Spike{Bucket: i, Value: x, Mean: mean}
	if mean == 0 {
		if x > 0 {
			sp.New, sp.Z = true, math.Inf(1)
			return sp, true
		}
		return sp, false
	}
	var ss float64
	for _, v := range base {
		d := anscombe(v) - tmean
		ss += d * d
	}
	sd := math.Max(math.Sqrt(ss/(Baseline-1)), 1) * math.Sqrt(1+1.0/Baseline)
	sp.Z = (anscombe(x) - tmean) / sd
	return sp, sp.Z >= SpikeZ
}

func anscombe(x float64) float64 { return 2 * math.Sqrt(x+3.0/8) }

// counts are the raw counts of the query's measure (spikes are about
// events, so a share's denominator does not move them).
func (r Result) counts(si int) []float64 {
	out := make([]float64, len(r.Buckets))
	for i, p := range r.Series[si].Points {
		if r.Query.Measure == news.MeasureOccurrences {
			out[i] = float64(p.Occurrences)
		} else {
			out[i] = float64(p.Articles)
		}
	}
	return out
}

// Spikes lists the spikes of every series: index of series -> spikes.
func (r Result) Spikes() map[int][]Spike {
	out := map[int][]Spike{}
	for si := range r.Series {
		c := r.counts(si)
		for i := range c {
			if sp, ok := SpikeAt(c, i); ok {
				out[si] = append(out[si], sp)
			}
		}
	}
	return out
}

// SpikePayload is the webhook body of a "tracker.spike" event.
type SpikePayload struct {
	Event   string    `json:"event"`
	At      time.Time `json:"at"`
	Tracker struct {
		ID    int64  `json:"id"`
		Title string `json:"title"`
		URL   string `json:"url"`
	} `json:"tracker"`
	Phrase   string  `json:"phrase"`
	Measure  string  `json:"measure"`
	Interval string  `json:"interval"`
	Bucket   string  `json:"bucket"` // first day
	Value    float64 `json:"value"`
	Baseline float64 `json:"baseline"` // mean of the trailing buckets
	Z        float64 `json:"z"`        // 0 when New
	New      bool    `json:"new"`
	Article  *struct {
		ID       int64  `json:"id"`
		URL      string `json:"url"`
		Headline string `json:"headline"`
	} `json:"article,omitempty"`
}

// SpikeEvent is the webhook event name.
const SpikeEvent = "tracker.spike"

// CheckSpikes counts every saved tracker (keeping their days counted
// for readers), looks at the running bucket of those with alerts and
// announces each new spike once (MarkTrackerSpike keeps
// servers from announcing one twice). It returns how many it announced.
func (s *Service) CheckSpikes(ctx context.Context) (int, error) {
	trs, err := s.Store.ListTrackers(ctx)
	if err != nil {
		return 0, err
	}
	now := s.Now()
	n := 0
	for _, t := range trs {
		q, err := QueryOf(t)
		if err != nil {
			continue
		}
		// Every saved tracker is asked here, so that its days are
		// counted and kept before a reader asks (storage keeps day
		// counts); enough buckets for the baseline, whatever it shows.
		q.Buckets = max(q.Buckets, Baseline+1)
		res, err := Run(ctx, s.Store, q, now, s.Loc)
		if err != nil {
			return n, fmt.Errorf("tracker %d: %w", t.ID, err)
		}
		if !t.Alerts {
			continue
		}
		last := len(res.Buckets) - 1
		for si := range res.Series {
			sp, ok := SpikeAt(res.counts(si), last)
			if !ok {
				continue
			}
			b := res.Buckets[last]
			first, err := s.Store.MarkTrackerSpike(ctx, t.ID, res.Series[si].Phrase.Text, b.Start, now)
			if err != nil || !first {
				if err != nil {
					return n, err
				}
				continue
			}
			p := SpikePayload{Event: SpikeEvent, At: now.UTC(), Phrase: res.Series[si].Phrase.Text, Measure: string(q.Measure),
				Interval: string(q.Interval), Bucket: b.Start.Date().Format("2006-01-02"), Value: sp.Value, Baseline: sp.Mean, New: sp.New}
			if !sp.New {
				p.Z = math.Round(sp.Z*100) / 100
			}
			p.Tracker.ID, p.Tracker.Title, p.Tracker.URL = t.ID, t.Title, s.BaseURL+"/admin/trackers/"+fmt.Sprint(t.ID)
			if t.Published {
				p.Tracker.URL = s.BaseURL + PublicURL(t.Slug)
			}
			arts, err := s.Store.TrackerArticles(ctx, news.TrackerCountQuery{Phrases: []news.TrackerPhrase{res.Series[si].Phrase}, Scope: q.Scope,
				From: b.Start, To: b.End, Now: now}, 1)
			if err == nil && len(arts) > 0 {
				a := arts[0]
				p.Article = &struct {
					ID       int64  `json:"id"`
					URL      string `json:"url"`
					Headline string `json:"headline"`
				}{a.ID, s.BaseURL + news.Article{ID: a.ID, Slug: a.Slug}.URL(), a.Headline}
			}
			body, err := json.Marshal(p)
			if err != nil {
				return n, err
			}
			if s.Announce != nil {
				if err := s.Announce(ctx, SpikeEvent, body); err != nil {
					return n, err
				}
			}
			s.Logger.Info("tracker spike", slog.Int64("tracker", t.ID), slog.String("phrase", p.Phrase), slog.String("bucket", p.Bucket))
			n++
		}
	}
	return n, nil
}
