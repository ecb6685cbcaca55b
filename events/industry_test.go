package events

import "testing"

func TestIndustryNormalizeValidate(t *testing.T) {
	for name, c := range map[string]struct {
		in       Industry
		slug     string
		badField string
	}{
		"slug from the name": {Industry{Name: "  Space   Tech ", NameZh: "航天 科技"}, "space-tech", ""},
		"long name":          {Industry{Name: "Advanced manufacturing and industrial automation", NameZh: "先进制造"}, "advanced-manufacturing-and-indus", ""},
		"given slug":         {Industry{Slug: " Robots ", Name: "Robotics", NameZh: "机器人"}, "robots", ""},
		"no Chinese":         {Industry{Name: "Robotics", NameZh: "robotics"}, "robotics", "name_zh"},
		"bad slug":           {Industry{Slug: "-x", Name: "X", NameZh: "某"}, "-x", "slug"},
		"line break":         {Industry{Name: "A\nB", NameZh: "某"}, "a-b", "name"},
	} {
		in := c.in
		in.Normalize()
		if in.Slug != c.slug {
			t.Errorf("%s: slug %q, want %q", name, in.Slug, c.slug)
		}
		err := in.Validate()
		e, _ := err.(*Error)
		switch {
		case c.badField == "" && err != nil:
			t.Errorf("%s: %v", name, err)
		case c.badField != "" && (e == nil || e.Fields[c.badField] == ""):
			t.Errorf("%s: %v, want invalid on %s", name, err, c.badField)
		}
	}
	for _, ind := range Industries {
		if err := ind.Validate(); err != nil {
			t.Errorf("fixed industry %s: %v", ind.Slug, err)
		}
		if err := CheckNewIndustry(&Industry{Slug: ind.Slug + "-x", Name: ind.Name + " x", NameZh: ind.NameZh + "甲"}, nil); err != nil {
			t.Errorf("%s: a different industry clashes: %v", ind.Slug, err)
		}
	}
}
