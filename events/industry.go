package events

import (
	"strings"
	"time"
	"unicode"
)

// Limits on an industry's names.
const (
	MaxIndustrySlug = 32
	MaxIndustryName = 60
)

// Industry is what salons are listed by: a slug that salons keep in their
// Industry field, and its name in English and in Chinese. Most come from
// the fixed list Industries; organizers may add more.
type Industry struct {
	Slug   string
	Name   string
	NameZh string
	// Added marks one an organizer or admin added, with when and by whom.
	Added     bool
	CreatedAt time.Time
	CreatedBy int64
}

// Industries is the fixed list every server knows, in the order the
// listing's filter offers them. Its slugs and names never change, so a
// salon's slug always finds its names; added industries come after these.
var Industries = []Industry{
	{Slug: "fintech", Name: "Fintech", NameZh: "金融科技"},
	{Slug: "ai", Name: "Artificial intelligence", NameZh: "人工智能"},
	{Slug: "biotech", Name: "Biotech", NameZh: "生物科技"},
	{Slug: "healthcare", Name: "Healthcare", NameZh: "医疗健康"},
	{Slug: "law", Name: "Law", NameZh: "法律"},
	{Slug: "design", Name: "Design", NameZh: "设计"},
	{Slug: "education", Name: "Education", NameZh: "教育"},
	{Slug: "ecommerce", Name: "E-commerce", NameZh: "电子商务"},
	{Slug: "marketing", Name: "Marketing", NameZh: "市场营销"},
	{Slug: "media", Name: "Media", NameZh: "媒体"},
	{Slug: "gaming", Name: "Gaming", NameZh: "游戏"},
	{Slug: "real-estate", Name: "Real estate", NameZh: "房地产"},
	{Slug: "manufacturing", Name: "Manufacturing", NameZh: "制造业"},
	{Slug: "energy", Name: "Energy and climate", NameZh: "能源与气候"},
	{Slug: "consulting", Name: "Consulting", NameZh: "咨询"},
}

// NameIn is the industry's name in lang ("zh" or else English).
func (i *Industry) NameIn(lang string) string { return inLang(lang, i.Name, i.NameZh) }

// Normalize trims the names (runs of spaces become one) and the slug, and
// makes a slug from the English name when none was given.
func (i *Industry) Normalize() {
	i.Name = CollapseSpace(i.Name)
	i.NameZh = CollapseSpace(i.NameZh)
	i.Slug = strings.ToLower(strings.TrimSpace(i.Slug))
	if i.Slug == "" && i.Name != "" {
		s := Slugify(i.Name)
		if len(s) > MaxIndustrySlug {
			s = strings.TrimRight(s[:MaxIndustrySlug], "-")
		}
		i.Slug = s
	}
}

// Validate checks a normalized industry and names every bad field. Both
// names are required: the listing shows one or the other by the reader's
// language, and the Chinese one must be written in Chinese.
func (i *Industry) Validate() error {
	f := FieldErrors{}
	if !industryRE.MatchString(i.Slug) {
		f.Add("slug", "must be a short lowercase tag (a-z, 0-9, -; at most 32)")
	}
	if msg := CheckLine(i.Name, 1, MaxIndustryName); msg != "" {
		f.Add("name", msg)
	}
	if msg := CheckLine(i.NameZh, 1, MaxIndustryName); msg != "" {
		f.Add("name_zh", msg)
	} else if !hasHan(i.NameZh) {
		f.Add("name_zh", "must be written in Chinese")
	}
	return f.Err()
}

// Clash names the field of i that another industry already has ("name",
// compared case-insensitively, "name_zh" or "slug"), or "" when none. The
// names come first: a slug made from a taken name is the name's fault.
func (i *Industry) Clash(other *Industry) string {
	switch {
	case strings.EqualFold(i.Name, other.Name):
		return "name"
	case i.NameZh == other.NameZh:
		return "name_zh"
	case i.Slug == other.Slug:
		return "slug"
	}
	return ""
}

// CheckNewIndustry is the duplicate rule for adding i beside the fixed
// list and the industries added before: an EINVALID error on the first
// field another industry already has, or nil.
func CheckNewIndustry(i *Industry, added []*Industry) error {
	for k := range Industries {
		if field := i.Clash(&Industries[k]); field != "" {
			return DuplicateIndustry(field)
		}
	}
	for _, o := range added {
		if field := i.Clash(o); field != "" {
			return DuplicateIndustry(field)
		}
	}
	return nil
}

// DuplicateIndustryMessage is the field message of a name or slug that
// another industry already has.
const DuplicateIndustryMessage = "another industry already has it"

// DuplicateIndustry is the EINVALID error on field for an industry that
// another already has.
func DuplicateIndustry(field string) error {
	return &Error{Code: EINVALID, Message: field + ": " + DuplicateIndustryMessage,
		Fields: map[string]string{field: DuplicateIndustryMessage}}
}

// hasHan reports whether s holds a Chinese character.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
