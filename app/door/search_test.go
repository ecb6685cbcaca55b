package door

import (
	"strings"
	"testing"
)

func TestSearchKey(t *testing.T) {
	for _, c := range []struct {
		name, company string
		find, miss    []string
	}{
		{"王芳", "Acme", []string{"wangfang", "wangf", "wang fang", "wf", "王芳", "芳", "acme"}, []string{"lifang", "wang li"}},
		{"李娜", "蚂蚁集团", []string{"lina", "ln", "李", "mayi", "mayijituan", "myjt", "蚂蚁"}, []string{"wang"}},
		{"Zoë O'Neil", "", []string{"zoe", "zoë o'neil", "o'neil"}, []string{"wf"}},
		{"Ana 王", "", []string{"ana 王", "ana wang"}, nil},
	} {
		key := searchKey(c.name, c.company)
		for _, q := range c.find {
			if !strings.Contains(key, fold(q)) {
				t.Errorf("%s (%s): key %q does not find %q", c.name, c.company, key, q)
			}
		}
		for _, q := range c.miss {
			if strings.Contains(key, fold(q)) {
				t.Errorf("%s: key %q finds %q", c.name, key, q)
			}
		}
	}
}

func FuzzSearchKey(f *testing.F) {
	for _, s := range []string{"王芳", "Zoë", "李 娜 \u0301", "\xff"} {
		f.Add(s, "Acme")
	}
	f.Fuzz(func(t *testing.T, name, company string) {
		key := searchKey(name, company)
		if n := fold(name); n != "" && !strings.Contains(key, n) {
			t.Fatalf("key %q lacks the folded name %q", key, n)
		}
	})
}
