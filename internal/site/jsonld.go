package site

import (
	"encoding/json"
	"html/template"

	"byline/internal/markup"
	"byline/internal/news"
)

// Structured data for search engines (schema.org in JSON-LD). NewsArticle
// carries every property Google lists as required or recommended:
// headline, image, datePublished, dateModified, author (with name and
// url), plus publisher, description, mainEntityOfPage and section.

type ldThing = map[string]any

func ld(v ldThing) template.JS {
	// json.Marshal escapes <, > and &, so "</script>" cannot appear.
	b, err := json.Marshal(v)
	if err != nil {
		return template.JS("{}")
	}
	return template.JS(b)
}

func (s *Site) publisherLD() ldThing {
	return ldThing{"@type": "NewsMediaOrganization", "name": s.cfg.Name, "url": s.abs("/"),
		"logo": ldThing{"@type": "ImageObject", "url": s.abs(s.pages.AssetURL("logo.png")), "width": 600, "height": 60}}
}

func (s *Site) websiteLD() template.JS {
	return ld(ldThing{"@context": "https://schema.org", "@type": "WebSite", "name": s.cfg.Name, "url": s.abs("/"),
		"publisher":       s.publisherLD(),
		"potentialAction": ldThing{"@type": "SearchAction", "target": s.abs("/search?q={search_term_string}"), "query-input": "required name=search_term_string"}})
}

// newsArticleLD describes an article; partOf, when not nil, is the
// running story it belongs to (isPartOf).
func (s *Site) newsArticleLD(a news.Article, desc string, partOf ldThing) template.JS {
	authors := make([]ldThing, 0, len(a.Authors))
	for _, au := range a.Authors {
		authors = append(authors, ldThing{"@type": "Person", "name": au.Name, "url": s.abs(au.URL())})
	}
	if len(authors) == 0 {
		authors = append(authors, ldThing{"@type": "Organization", "name": s.cfg.Name, "url": s.abs("/")})
	}
	v := ldThing{
		"@context":            "https://schema.org",
		"@type":               "NewsArticle",
		"headline":            markup.Summary(a.Headline, 110),
		"description":         desc,
		"datePublished":       a.PublishedAt.Format(timeRFC3339),
		"dateModified":        a.LastModified().Format(timeRFC3339),
		"author":              authors,
		"publisher":           s.publisherLD(),
		"mainEntityOfPage":    ldThing{"@type": "WebPage", "@id": s.abs(a.URL())},
		"url":                 s.abs(a.URL()),
		"articleSection":      a.Section.Name,
		"inLanguage":          s.cfg.Lang,
		"isAccessibleForFree": true,
		"wordCount":           markup.WordCount(a.BodyText),
	}
	if a.Image != nil {
		v["image"] = []ldThing{{"@type": "ImageObject", "url": s.absURL(a.Image.URL), "width": a.Image.Width, "height": a.Image.Height, "caption": a.Image.Caption}}
	} else {
		v["image"] = []string{s.abs(s.pages.AssetURL("logo.png"))}
	}
	if len(a.Tags) > 0 {
		v["keywords"] = a.Tags
	}
	if a.Dateline != "" {
		v["dateline"] = a.Dateline
	}
	if partOf != nil {
		v["isPartOf"] = partOf
	}
	return ld(v)
}

func (s *Site) breadcrumbLD(crumbs []Crumb, lastPath string) template.JS {
	items := make([]ldThing, 0, len(crumbs))
	for i, c := range crumbs {
		u := c.URL
		if u == "" {
			u = lastPath
		}
		items = append(items, ldThing{"@type": "ListItem", "position": i + 1, "name": c.Name, "item": s.abs(u)})
	}
	return ld(ldThing{"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items})
}

func (s *Site) personLD(au news.Author) template.JS {
	v := ldThing{"@context": "https://schema.org", "@type": "Person", "name": au.Name, "url": s.abs(au.URL())}
	if au.Title != "" {
		v["jobTitle"] = au.Title
	}
	if au.Bio != "" {
		v["description"] = au.Bio
	}
	v["worksFor"] = s.publisherLD()
	return ld(v)
}
