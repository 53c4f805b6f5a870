package site

import (
	"strconv"
	"time"

	"byline/internal/news"
)

func itoa(n int) string { return strconv.Itoa(n) }

func latestChange(list []news.Article) time.Time {
	var t time.Time
	for _, a := range list {
		if m := a.LastModified(); m.After(t) {
			t = m
		}
	}
	return t
}
