package web

import (
	"context"
	"sync"

	"salon/events"
)

// industryCache keeps the list of industries between changes: it is read
// on every listing, salon page and console form, and changes only when an
// industry is added (which raises the salons version).
type industryCache struct {
	mu      sync.Mutex
	version uint64
	list    []*events.Industry
}

// Industries lists every industry: the fixed list first, in its order,
// then those organizers added, oldest first.
func (d *Deps) Industries(ctx context.Context) ([]*events.Industry, error) {
	v := d.DB.SalonsVersion() // read before the data: see storage.Changes
	d.industries.mu.Lock()
	if d.industries.list != nil && d.industries.version == v {
		list := d.industries.list
		d.industries.mu.Unlock()
		return list, nil
	}
	d.industries.mu.Unlock()
	added, err := d.DB.FindAddedIndustries(ctx)
	if err != nil {
		return nil, err
	}
	list := make([]*events.Industry, 0, len(events.Industries)+len(added))
	for i := range events.Industries {
		list = append(list, &events.Industries[i])
	}
	list = append(list, added...)
	d.industries.mu.Lock()
	d.industries.version, d.industries.list = v, list
	d.industries.mu.Unlock()
	return list, nil
}

// IndustryNames are the industries' names in one language by slug, for
// templates; a slug with no industry (a salon made through the API with a
// tag of its own) reads as itself.
type IndustryNames map[string]string

// Of is the name of the industry slug.
func (n IndustryNames) Of(slug string) string {
	if name, ok := n[slug]; ok {
		return name
	}
	return slug
}

// IndustryNames names every industry in lang.
func (d *Deps) IndustryNames(ctx context.Context, lang string) (IndustryNames, error) {
	list, err := d.Industries(ctx)
	if err != nil {
		return nil, err
	}
	out := make(IndustryNames, len(list))
	for _, ind := range list {
		out[ind.Slug] = ind.NameIn(lang)
	}
	return out, nil
}
